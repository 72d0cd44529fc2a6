#pragma once
// The PollSession of Wait For Email From User (poll_session.h): one MailStore connection kept across the polls of
// an `--until-done` run, and the folder to watch between polls (the first reply folder).
//
// wait_for_change(until):
//  1. re-opens the watched folder read-only; when its UIDNEXT (or, without UIDNEXT, EXISTS) grew or its
//     UIDVALIDITY changed since the poll saw it, mail arrived in between: true at once (no race between the
//     poll's search and the wait);
//  2. otherwise MailStore::wait_for_new_mail (IMAP IDLE underneath; NOOP every kNoopEvery when the server has no
//     IDLE) until `until`.
// On an error the connection is dropped (a broken one is never reused) and the error returned; the next poll
// connects again. Other reply folders are only looked at by the polls (one IMAP connection watches one folder).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "actions/poll_session.h"
#include "mail/mail_store.h"

namespace emailv2::actions {

class WaitSession final : public PollSession {
 public:
  static constexpr std::chrono::milliseconds kNoopEvery{1000};

  // `io_slack`: how long a command may take past `until` (the operation timeout).
  WaitSession(std::unique_ptr<mail::MailStore> mail, std::chrono::milliseconds io_slack);
  ~WaitSession() override;

  mail::MailStore& mail() { return *mail_; }
  // The folder to watch and what the poll's EXAMINE said about it.
  void watch(std::string folder, const mail::FolderInfo& seen);
  // After a failed poll: forget the connection so the next call connects again.
  void reset_connection();

  Result<bool> wait_for_change(Deadline until) override;
  void close() override;

 private:
  std::unique_ptr<mail::MailStore> mail_;
  std::chrono::milliseconds io_slack_;
  std::optional<std::string> folder_;
  mail::FolderInfo seen_;
  bool closed_ = false;
};

// Whether `now` shows mail that was not there when `before` was taken.
bool folder_grew(const mail::FolderInfo& before, const mail::FolderInfo& now);

}  // namespace emailv2::actions
