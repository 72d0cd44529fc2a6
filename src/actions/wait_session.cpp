#include "actions/wait_session.h"

#include <thread>

#include "core/log.h"

namespace emailv2::actions {

bool folder_grew(const mail::FolderInfo& before, const mail::FolderInfo& now) {
  if (before.uid_validity != now.uid_validity) return true;
  if (before.uid_next != 0 && now.uid_next != 0) return now.uid_next > before.uid_next;
  return now.exists > before.exists;
}

WaitSession::WaitSession(std::unique_ptr<mail::MailStore> mail, std::chrono::milliseconds io_slack)
    : mail_(std::move(mail)), io_slack_(io_slack) {}

WaitSession::~WaitSession() { close(); }

void WaitSession::watch(std::string folder, const mail::FolderInfo& seen) {
  folder_ = std::move(folder);
  seen_ = seen;
}

void WaitSession::reset_connection() {
  if (auto s = mail_->close(Deadline::after(std::chrono::seconds(5))); !s) {
    log::debug("wait", "closing the broken connection: {}", s.error().to_string());
  }
}

Result<bool> WaitSession::wait_for_change(Deadline until) {
  if (!folder_) {  // the poll failed before it saw a folder: nothing to watch, just pause
    std::this_thread::sleep_for(until.remaining());
    return false;
  }
  const Deadline io = Deadline::at(until.time_point() + io_slack_);
  auto now = mail_->open_folder(*folder_, mail::Access::kReadOnly, io);
  if (!now) {
    reset_connection();
    return fail(now.error());
  }
  if (folder_grew(seen_, *now)) {
    log::debug("wait", "{} changed since the poll", *folder_);
    return true;
  }
  mail::WaitOptions options;
  options.poll_every = kNoopEvery;
  auto woke = mail_->wait_for_new_mail(*folder_, until, options, io);
  if (!woke) {
    reset_connection();
    return fail(woke.error());
  }
  return *woke;
}

void WaitSession::close() {
  if (closed_) return;
  closed_ = true;
  if (auto s = mail_->close(Deadline::after(std::chrono::seconds(10))); !s) {
    log::debug("wait", "LOGOUT: {}", s.error().to_string());
  }
}

}  // namespace emailv2::actions
