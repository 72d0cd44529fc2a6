#include "store/lease_repository.h"

#include "store_fixture.h"

namespace emailv2::store {
namespace {

using emailv2::testing::TempDir;
using testing::at_ms;
using testing::open_or_die;
using namespace std::chrono_literals;

constexpr std::string_view kAccount = "soc@lab.test@127.0.0.1:993";

class LeaseTest : public ::testing::Test {
 protected:
  Result<LeaseTake> take(std::string_view owner, TimePoint now, TimePoint expires, bool over = false) {
    auto tx = db_.begin_write();
    if (!tx) return fail(tx.error());
    auto r = leases_.take(*tx, "default", kAccount, owner, now, expires, over);
    if (r) EMAILV2_TRY(tx->commit());
    return r;
  }

  TempDir dir_;
  Database db_ = open_or_die(dir_.path() / "store.sqlite");
  LeaseRepository leases_{db_};
  const TimePoint t0_ = at_ms(1'700'000'000'000);
};

TEST(LeaseOwner, FormatsAndParses) {
  LeaseOwner o{"soc-host", 4242, "9f3a"};
  EXPECT_EQ(o.to_string(), "soc-host:4242:9f3a");
  auto back = LeaseOwner::parse("soc-host:4242:9f3a");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->host, "soc-host");
  EXPECT_EQ(back->pid, 4242);
  EXPECT_EQ(back->random, "9f3a");
  auto v6 = LeaseOwner::parse("fe80::1:77:abc");  // a host may contain ':'
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "fe80::1");
  EXPECT_EQ(v6->pid, 77);
}

TEST(LeaseOwner, RejectsMalformed) {
  for (const char* bad : {"", "host", "host:12", ":12:r", "host:x:r", "host:12:", "host:-1:r", "host:0:r",
                          "host:12a:r"}) {
    EXPECT_FALSE(LeaseOwner::parse(bad)) << bad;
  }
}

TEST_F(LeaseTest, LiveLeaseOfAnotherOwnerBlocks) {
  auto first = take("a:1:x", t0_, t0_ + 120s);
  ASSERT_TRUE(first && first->taken);
  EXPECT_FALSE(first->holder);
  auto second = take("b:2:y", t0_ + 10s, t0_ + 130s);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->taken);
  ASSERT_TRUE(second->holder);
  EXPECT_EQ(second->holder->owner, "a:1:x");
  EXPECT_EQ(second->holder->expires_at, t0_ + 120s);
  EXPECT_EQ((*leases_.current("default", kAccount))->owner, "a:1:x");
}

TEST_F(LeaseTest, ExpiredLeaseIsTakenOverAndReported) {
  ASSERT_TRUE(take("a:1:x", t0_, t0_ + 120s));
  auto late = take("b:2:y", t0_ + 120s, t0_ + 240s);  // expires_at <= now: expired
  ASSERT_TRUE(late && late->taken);
  ASSERT_TRUE(late->holder);
  EXPECT_EQ(late->holder->owner, "a:1:x");
  EXPECT_EQ((*leases_.current("default", kAccount))->owner, "b:2:y");
}

TEST_F(LeaseTest, DeadLocalOwnerIsTakenOverWhenTheConnectorSaysSo) {
  ASSERT_TRUE(take("a:1:x", t0_, t0_ + 120s));
  auto forced = take("a:2:z", t0_ + 1s, t0_ + 121s, /*take_over_live=*/true);
  ASSERT_TRUE(forced && forced->taken);
  EXPECT_EQ((*leases_.current("default", kAccount))->owner, "a:2:z");
}

TEST_F(LeaseTest, RetakingOurOwnLeaseExtendsIt) {
  ASSERT_TRUE(take("a:1:x", t0_, t0_ + 120s));
  auto again = take("a:1:x", t0_ + 5s, t0_ + 300s);
  ASSERT_TRUE(again && again->taken);
  EXPECT_EQ((*leases_.current("default", kAccount))->expires_at, t0_ + 300s);
}

TEST_F(LeaseTest, RenewAndReleaseOnlyByTheOwner) {
  ASSERT_TRUE(take("a:1:x", t0_, t0_ + 120s));
  auto tx = db_.begin_write();
  ASSERT_TRUE(tx);
  EXPECT_FALSE(*leases_.renew(*tx, "default", kAccount, "b:2:y", t0_ + 500s));
  EXPECT_TRUE(*leases_.renew(*tx, "default", kAccount, "a:1:x", t0_ + 500s));
  EXPECT_FALSE(*leases_.release(*tx, "default", kAccount, "b:2:y"));
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ((*leases_.current("default", kAccount))->expires_at, t0_ + 500s);
  auto tx2 = db_.begin_write();
  ASSERT_TRUE(tx2);
  EXPECT_TRUE(*leases_.release(*tx2, "default", kAccount, "a:1:x"));
  ASSERT_TRUE(tx2->commit());
  EXPECT_FALSE(*leases_.current("default", kAccount));
}

}  // namespace
}  // namespace emailv2::store
