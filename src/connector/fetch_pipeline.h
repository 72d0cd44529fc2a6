#pragma once
// Overlaps download, preparation and ingestion (issue 7 "Pipelining"). A fetch thread runs
// MailStore::fetch_messages (which itself keeps several UID FETCH batches in flight and spools large bodies to disk);
// `workers` preparing threads run the pure, CPU-heavy part of each message (the connector's: MIME parse, §5.2
// exclusion, the would-be case: prepare_ingest); the caller's thread takes the prepared items in delivery order and
// does only what needs the store (dedup lookup, the transaction, COMMIT).
//
// Contract:
//  * Items come out of next() in the order of `uids` (ascending UIDs), whatever order the server delivered them in
//    (Dovecot runs pipelined UID FETCH batches concurrently and interleaves them) and the workers finish in. A UID the
//    stream ended without is skipped; an item whose UID was not asked for is dropped.
//  * Every delivered message is prepared exactly once, on a worker (on the fetch thread when workers == 0), with its
//    bytes: the in-memory body, or the spool file read back for the preparation only. After a successful preparation
//    the message's bytes are released (in-memory body freed, spool file removed): the preparation keeps what it needs.
//    A read failure, or an exception thrown by the preparation, is reported in the item's `error` (the bytes are then
//    kept); it never takes the process down.
//  * Memory is bounded: an item is "in flight" from its delivery until the caller asks for the item after it (so
//    the one the caller is working on counts); at most `depth` items AND at most `max_in_flight_bytes` of their
//    weights are in flight. An item weighs its message size; a large one (over `alone_above_bytes`) weighs the whole
//    bound, so it is admitted only when nothing else is in flight and nothing joins it: large messages are prepared
//    and stored one at a time. One item is always admitted when none is in flight, and the next item in order is
//    admitted past the bound when the caller holds nothing (it waits for exactly that item): the order never waits
//    on a pipeline full of later items.
//  * An item that arrives ahead of its turn while the bound is full and the next item in order has not arrived is
//    parked: its bytes go to a spool file, not memory, and it is admitted (prepared) when its turn comes within the
//    bound. So the fetch keeps reading towards the item the caller needs, and memory stays bounded however far the
//    server reorders.
//  * The MailStore is used by the fetch thread only between construction and finish(); the caller must not touch it
//    in that window. cancel() makes the fetch stop after at most the message being delivered and the workers stop
//    taking items; finish() (also run by the destructor) cancels if still running, joins every thread and returns
//    what fetch_messages returned (the cancellation is not an error).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "connector/message_ingest.h"
#include "mail/mail_store.h"

namespace emailv2::connector {

// One fetched message with what its preparation made of it.
struct FetchedMessage {
  mail::StoredMessage message;
  std::optional<Error> error;              // unreadable spooled body, or the preparation threw: not prepared
  std::optional<PreparedIngest> prepared;  // what the preparation made of it
};

struct FetchPipelineOptions {
  std::size_t workers = 1;                         // preparing threads; 0 = prepare on the fetch thread
  // The workers' nice value (0 = unchanged). Positive: the thread that takes the items (the connector's store thread,
  // its serial stage) gets the CPU first and the workers use what it leaves; on 2 cores shared with the mail
  // server this made the connector 11% faster (docs/benchmarks.md).
  int worker_nice = 0;
  // Items and message bytes in flight. 32 / 16 MiB: through a 40 ms round trip the pipeline then never runs dry
  // (8 MiB: 600 msgs/s, 16: 614, 24: 636 on the benchmark), at no measurable cost in peak RSS (docs/benchmarks.md).
  std::size_t depth = 32;
  std::uint64_t max_in_flight_bytes = 16ull << 20;
  std::uint64_t alone_above_bytes = 2ull << 20;  // larger messages are in flight alone
  std::filesystem::path spool_dir;                // for parked items' bytes (default: $TMPDIR or /tmp)
  // The preparation, run once per message on a worker with the message's bytes. Default: the parse's Message-ID
  // and SHA-256 only (prepared->message_id, raw_sha256).
  std::function<void(FetchedMessage& item, std::string_view raw)> prepare;
};

class FetchPipeline {
 public:
  FetchPipeline(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids,
                std::uint64_t max_message_bytes, Deadline deadline, FetchPipelineOptions options = {});
  ~FetchPipeline();
  FetchPipeline(const FetchPipeline&) = delete;
  FetchPipeline& operator=(const FetchPipeline&) = delete;

  // The next prepared item in delivery order, or nullopt once the stream has ended (normally, on error, or after
  // cancel()).
  std::optional<FetchedMessage> next();
  // Asks every thread to stop; items in flight are dropped.
  void cancel();
  // Cancels if still running, joins, and returns the fetch result (a cancelled stream reports Ok).
  Result<mail::FetchReport> finish();

  // The largest number of message bytes in flight at once, and of items parked at once (tests, measurements).
  std::uint64_t peak_in_flight_bytes() const;
  std::size_t peak_parked() const;

 private:
  Status admit(mail::StoredMessage&& message);  // the fetch thread's delivery callback
  void fetch(mail::MailStore& mail, std::string folder, std::vector<std::uint32_t> uids, std::uint64_t max_bytes,
             Deadline deadline);
  void work();  // a worker: prepares admitted items until the stream ends or is cancelled
  void prepare(FetchedMessage& item) const;
  void drop_in_flight();
  std::uint64_t weight_of(std::uint64_t size) const;
  bool has_room(std::uint64_t weight) const;
  // Puts an item in flight (locked): to a worker, or prepared here (unlocking) when there are none.
  void start(std::unique_lock<std::mutex>& lock, std::uint64_t seq, FetchedMessage&& item, std::uint64_t weight);
  // Prepares an item with the lock released, then files it for next(); false when cancelled meanwhile (locked).
  bool prepare_and_file(std::unique_lock<std::mutex>& lock, std::uint64_t seq, FetchedMessage&& item);
  // Whether the item with this sequence number has been delivered and not handed out yet (locked).
  bool arrived(std::uint64_t seq) const { return weights_.count(seq) > 0 || parked_.count(seq) > 0; }
  // Admits parked items, lowest first, while it is their turn or there is room (locked).
  void admit_parked(std::unique_lock<std::mutex>& lock);
  // Moves next_out_ past UIDs the finished stream never delivered; false when nothing is left (locked).
  bool skip_missing();

  FetchPipelineOptions options_;
  mutable std::mutex mutex_;
  // One per kind of waiter, each notified only when its condition may have changed (a single shared condition woke
  // all four threads at every step: measurable scheduler work at ~1,000 messages/s).
  std::condition_variable room_;   // the fetch thread, waiting for room in flight
  std::condition_variable work_;   // the workers, waiting for admitted items
  std::condition_variable ready_;  // the caller, waiting for the next item in order
  std::deque<std::pair<std::uint64_t, FetchedMessage>> admitted_;  // waiting for a worker, by sequence number
  std::map<std::uint64_t, FetchedMessage> prepared_;              // waiting for next()
  std::map<std::uint64_t, std::uint64_t> weights_;                // sequence number → bytes, while in flight
  std::map<std::uint64_t, FetchedMessage> parked_;                // arrived ahead of their turn, bytes spooled
  std::vector<std::uint32_t> order_;  // the UIDs asked for, ascending: an item's sequence number is its index here
  std::uint64_t next_out_ = 0;        // sequence number next() hands out next
  std::size_t peak_parked_ = 0;
  std::optional<std::uint64_t> handed_out_;  // the item the caller holds: in flight until the next next()
  std::uint64_t in_flight_bytes_ = 0;
  std::uint64_t peak_in_flight_bytes_ = 0;
  bool fetch_done_ = false;
  bool cancelled_ = false;
  std::optional<Result<mail::FetchReport>> result_;
  std::thread fetcher_;
  std::vector<std::thread> workers_;
};

}  // namespace emailv2::connector
