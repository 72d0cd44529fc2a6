#pragma once
// Overlaps download and ingestion (issue 7 "Pipelining"): a background thread runs MailStore::fetch_messages (which
// itself keeps several UID FETCH batches in flight and spools large bodies to disk) and hands each message through
// a bounded queue to the cycle thread, which parses and commits it while the next ones download.
//
// Contract:
//  * Messages come out of next() in the order fetch_messages delivers them (ascending UID).
//  * Memory is bounded: at most `depth` messages wait in the queue (bodies above the IMAP layer's memory limit are
//    spool files, not memory).
//  * The MailStore is used by the fetch thread only between construction and finish(); the caller must not touch it
//    in that window. finish() (also run by the destructor) stops the stream after at most the message being
//    delivered, joins the thread and returns what fetch_messages returned (the cancellation is not an error).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mail/mail_store.h"

namespace emailv2::connector {

class FetchPipeline {
 public:
  FetchPipeline(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                std::uint64_t max_message_bytes, Deadline deadline, std::size_t depth = 8);
  ~FetchPipeline();
  FetchPipeline(const FetchPipeline&) = delete;
  FetchPipeline& operator=(const FetchPipeline&) = delete;

  // The next message, or nullopt once the stream has ended (normally, on error, or after cancel()).
  std::optional<mail::StoredMessage> next();
  // Asks the fetch thread to stop; messages already queued are dropped.
  void cancel();
  // Cancels if still running, joins, and returns the fetch result (a cancelled stream reports Ok).
  Result<mail::FetchReport> finish();

 private:
  Status push(mail::StoredMessage&& message);
  void run(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids, std::uint64_t max_bytes,
           Deadline deadline);

  std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<mail::StoredMessage> queue_;
  bool done_ = false;
  bool cancelled_ = false;
  std::optional<Result<mail::FetchReport>> result_;
  std::thread thread_;
};

}  // namespace emailv2::connector
