#include "actions/wait_for_email_from_user.h"

#include "actions/reply_scan.h"
#include "actions/wait_attachments.h"
#include "actions/wait_origin.h"
#include "actions/wait_responses.h"
#include "actions/wait_result.h"
#include "actions/wait_session.h"
#include "core/limits.h"
#include "core/log.h"
#include "mail/imap_mail_store.h"
#include "store/wait_reply_repository.h"

namespace emailv2::actions {
namespace {

// The run's --timeout is ours to report: a transport TIMEOUT after it passed is DEADLINE (docs/decisions.md).
Error as_run_error(const Error& e, const ActionContext& ctx) {
  if (e.code() == ErrorCode::kTimeout && ctx.deadline.expired()) {
    return Error(ErrorCode::kDeadline, "--timeout reached during the poll: " + e.detail());
  }
  return e;
}

class Poll {
 public:
  Poll(const ActionContext& ctx, const WaitParams& params, mail::MailStore& mail, store::Database& db,
       WaitPollReport* report)
      : ctx_(ctx), p_(params), mail_(mail), db_(db), report_(report) {}

  ActionResult run() {
    const TimePoint now = ctx_.clock.now();
    auto first = first_poll(now);
    if (!first) return wait_failure(first.error(), p_.message_id);
    start_ = *first;
    auto origin = resolve_wait_origin(p_, db_, mail_, ctx_.deadline);
    if (!origin) return mailbox_error(origin.error(), now);
    if (origin->start) start_ = *origin->start;
    if (origin->recipients.empty()) {
      return wait_failure(Error(ErrorCode::kRecipientsUnknown, "provide \"Email Recipients\""), p_.message_id);
    }
    log::info("wait", "{} recipient(s) from {}, start {} from {}", origin->recipients.size(),
              origin->recipients_source, rfc3339_utc(start_), origin->start ? origin->start_source : "first poll");
    recipients_.clear();
    for (const auto& r : origin->recipients) recipients_.push_back(RecipientStatus{r, std::nullopt});
    auto hits = scan();
    if (!hits) return mailbox_error(hits.error(), now);
    auto selected = select_responses(mail_, p_, origin->recipients, *hits, max_message_bytes(), ctx_.deadline);
    if (!selected) return mailbox_error(selected.error(), now);
    recipients_ = selected->recipients;
    auto wall = record_wait_replies(db_, p_.message_id, *selected, p_.fetch_attachments, ctx_.case_id, now);
    if (!wall) return wait_failure(wall.error(), p_.message_id, recipients_);
    if (wall->files_added > 0) log::info("wait", "{} reply attachment(s) added to the case wall", wall->files_added);
    return wait_envelope(decide_wait_state(recipients_, p_.wait_for_all, now, start_, p_.timeout), recipients_,
                         p_.message_id);
  }

 private:
  Result<TimePoint> first_poll(TimePoint now) {
    auto tx = db_.begin_write();
    if (!tx) return fail(tx.error());
    auto first = store::WaitReplyRepository(db_).first_poll_at(*tx, p_.message_id, now);
    if (!first) return fail(first.error());
    EMAILV2_TRY(tx->commit());
    return *first;
  }

  Result<std::vector<ReplyHit>> scan() {
    std::vector<ReplyHit> hits;
    for (const std::string& folder : p_.folders) {
      auto found = find_replies(mail_, folder, p_.message_id, start_, ctx_.deadline);
      if (!found) return fail(found.error());
      if (report_ && folder == p_.folders.front()) {
        report_->watched_folder = folder;
        report_->watched = found->folder;
      }
      for (auto& h : found->hits) hits.push_back(std::move(h));
    }
    sort_by_arrival(hits);
    return hits;
  }

  // Transient: keep waiting (or time out past the deadline); permanent: failed.
  ActionResult mailbox_error(const Error& raw, TimePoint now) {
    if (report_) report_->mail_failed = true;
    const Error e = as_run_error(raw, ctx_);
    if (!is_transient_wait_error(e)) return wait_failure(e, p_.message_id, recipients_);
    log::warn("wait", "this check failed, the wait goes on: {}", e.to_string());
    if (now >= start_ + p_.timeout) return wait_envelope(WaitState::kTimedOut, recipients_, p_.message_id);
    return wait_envelope(WaitState::kWaiting, recipients_, p_.message_id, e);
  }

  std::uint64_t max_message_bytes() const { return ctx_.config.max_message_mib * limits::kMiB; }

  const ActionContext& ctx_;
  const WaitParams& p_;
  mail::MailStore& mail_;
  store::Database& db_;
  WaitPollReport* report_;
  TimePoint start_{};
  std::vector<RecipientStatus> recipients_;
};

}  // namespace

ActionResult wait_poll(const ActionContext& ctx, const WaitParams& params, mail::MailStore& mail, store::Database& db,
                       WaitPollReport* report) {
  return Poll(ctx, params, mail, db, report).run();
}

ActionResult poll_wait_for_email_from_user(const ActionContext& ctx, const ParamSet& params, PollSessionSlot& slot) {
  auto p = wait_params(params);
  if (!p) return ActionResult::from_error(p.error());
  auto db = store::Database::open(ctx.store_path);
  if (!db) return wait_failure(db.error(), p->message_id);
  if (!slot) {
    slot = std::make_unique<WaitSession>(mail::make_imap_mail_store(ctx.config),
                                         std::chrono::duration_cast<std::chrono::milliseconds>(
                                             ctx.config.operation_timeout));
  }
  auto& session = static_cast<WaitSession&>(*slot);
  WaitPollReport report;
  ActionResult result = wait_poll(ctx, *p, session.mail(), *db, &report);
  if (report.watched_folder) session.watch(*report.watched_folder, report.watched);
  if (report.mail_failed) session.reset_connection();
  return result;
}

ActionResult run_wait_for_email_from_user(const ActionContext& ctx, const ParamSet& params) {
  PollSessionSlot slot;
  ActionResult result = poll_wait_for_email_from_user(ctx, params, slot);
  if (slot) slot->close();
  return result;
}

}  // namespace emailv2::actions
