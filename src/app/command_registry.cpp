// The one list of commands. To add an action: write actions/<name>.{h,cpp} with its ActionSpec and run function,
// then add one `action_command(...)` line below.
#include "app/command_registry.h"

#include "actions/delete_email.h"
#include "actions/download_email_attachments.h"
#include "actions/forward_email.h"
#include "actions/move_email_to_folder.h"
#include "actions/ping.h"
#include "actions/save_email_attachments_to_case.h"
#include "actions/search_emails.h"
#include "actions/send_email.h"
#include "actions/send_thread_reply.h"
#include "actions/wait_for_email_from_user.h"
#include "app/action_command.h"
#include "app/builtin_commands.h"
#include "app/cases_command.h"
#include "app/connector_command.h"
#include "app/parse_command.h"
#include "core/text.h"

namespace emailv2::app {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      action_command(actions::ping_spec(), &actions::run_ping),
      action_command(actions::send_email_spec(), &actions::run_send_email),
      action_command(actions::forward_email_spec(), &actions::run_forward_email),
      action_command(actions::send_thread_reply_spec(), &actions::run_send_thread_reply),
      action_command(actions::search_emails_spec(), &actions::run_search_emails),
      action_command(actions::move_email_to_folder_spec(), &actions::run_move_email_to_folder),
      action_command(actions::delete_email_spec(), &actions::run_delete_email),
      action_command(actions::save_email_attachments_to_case_spec(), &actions::run_save_email_attachments_to_case),
      action_command(actions::download_email_attachments_spec(), &actions::run_download_email_attachments),
      async_action_command(actions::wait_for_email_from_user_spec(), &actions::poll_wait_for_email_from_user),
      connector_command(),
      cases_command(),
      parse_command(),
      help_command(),
      version_command(),
  };
  return all;
}

const Command* find_command(std::string_view typed) {
  const std::string wanted = text::normalise_name(typed);
  if (wanted.empty()) return nullptr;
  for (const Command& c : commands()) {
    if (text::normalise_name(c.name) == wanted || text::normalise_name(c.display_name) == wanted) return &c;
    for (std::string_view alias : c.aliases) {
      if (text::normalise_name(alias) == wanted) return &c;
    }
  }
  return nullptr;
}

}  // namespace emailv2::app
