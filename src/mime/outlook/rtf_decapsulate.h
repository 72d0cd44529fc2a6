#pragma once
// Extracts the body Outlook stored as RTF: the original HTML or plain text of an encapsulating RTF document
// (MS-OXRTFEX: \fromhtml1 / \fromtext, {\*\htmltag…} groups, \htmlrtf suppression), or, for ordinary RTF, its
// visible text. Pure, single pass, no recursion; group depth above outlook_limits.h kMaxRtfDepth is flattened.
//
// Text is decoded to UTF-8: \'hh bytes with the code page of the current font (\fcharset in the font table) or
// the document's \ansicpg (then `fallback_code_page`), \uN with its \ucN fallback skipped, \par/\line as CRLF,
// \tab as TAB. Never fails; oddities become warnings.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emailv2::mime::outlook {

enum class RtfBodyKind {
  kHtml,      // \fromhtml: `text` is the de-encapsulated HTML
  kText,      // \fromtext: `text` is the de-encapsulated plain text
  kRtfText,   // ordinary RTF: `text` is its visible text (a lossy rendering)
};

struct RtfBody {
  RtfBodyKind kind = RtfBodyKind::kRtfText;
  std::string text;
  std::vector<std::string> warnings;
};

RtfBody rtf_to_body(std::string_view rtf, std::uint32_t fallback_code_page);

}  // namespace emailv2::mime::outlook
