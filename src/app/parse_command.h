#pragma once
// `emailv2 parse FILE [--attachments-out DIR]` (CONTRACT §1.1 [add], §4, §6.4): parses a local .eml or Outlook .msg
// (told apart by the CFB/OLE2 signature, not the extension) offline — no network, no store — and prints one
// envelope:
//   completed/true, output_message `Parsed <file>: <n> attachments` (`, <m> written to <dir>` with
//   --attachments-out), json_result = the §4.1 Mail Object with email_uid "", folder "", received null, flags [].
// With --attachments-out DIR (created 0750 when missing) every direct attachment of the mail is written under its
// §6.4 on-disk name (mime::nfc + file_names::sanitise + SafeDirectory::write_file) and json_result gains a last key
// `written_files`: [{"name", "path", "size", "sha256", "reused"}] in attachment order.
// A file that is not a mail still parses leniently (parse_warnings). Errors: unreadable FILE or a write failure →
// failed/IO_ERROR (exit 2; files already written stay and are listed); bad usage → PARAM_INVALID.

#include "app/command.h"

namespace emailv2::app {

Command parse_command();

}  // namespace emailv2::app
