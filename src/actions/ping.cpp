#include "actions/ping.h"

#include "core/log.h"
#include "imap/session.h"
#include "smtp/session.h"

namespace emailv2::actions {
namespace {

ProbeOutcome probe_imap(const ActionContext& ctx) {
  ProbeOutcome out;
  out.configured = true;
  auto options = ctx.config.imap_session_options();
  if (!options) {
    out.error = options.error();
    return out;
  }
  auto session = imap::Session::connect(*options, ctx.deadline);
  if (!session) {
    out.error = session.error();
    return out;
  }
  out.features = (*session)->capabilities().items();
  if (auto noop = (*session)->noop(ctx.deadline); !noop) {
    out.error = noop.error();
    return out;
  }
  if (auto bye = (*session)->logout(ctx.deadline); !bye) log::debug("ping", "IMAP LOGOUT: {}", bye.error().to_string());
  return out;
}

ProbeOutcome probe_smtp(const ActionContext& ctx) {
  ProbeOutcome out;
  out.configured = true;
  auto options = ctx.config.smtp_session_options();
  if (!options) {
    out.error = options.error();
    return out;
  }
  auto session = smtp::Session::connect(*options, ctx.deadline);
  if (!session) {
    out.error = session.error();
    return out;
  }
  out.features = session->extensions().lines();
  if (auto noop = session->noop(ctx.deadline); !noop) out.error = noop.error();
  session->quit(ctx.deadline);
  return out;
}

}  // namespace

ActionResult run_ping(const ActionContext& ctx, const ParamSet&) {
  ProbeOutcome imap;
  ProbeOutcome smtp;
  if (ctx.config.imap_configured()) {
    if (auto s = ctx.config.require_imap(); !s) return ActionResult::from_error(s.error());
  }
  if (ctx.config.smtp_configured()) {
    if (auto s = ctx.config.require_smtp(); !s) return ActionResult::from_error(s.error());
  }
  if (ctx.config.imap_configured()) imap = probe_imap(ctx);
  if (ctx.config.smtp_configured()) smtp = probe_smtp(ctx);
  return ping_result(imap, smtp);
}

}  // namespace emailv2::actions
