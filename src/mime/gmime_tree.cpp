// The only file of the parser that includes GMime: GObject references are confined here and released by RAII.
#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include "core/limits.h"
#include "core/text.h"
#include "mime/base64_lines.h"
#include "mime/header_text.h"
#include "mime/mime_tree.h"
#include "mime/original_span.h"

namespace emailv2::mime {
namespace {

constexpr std::size_t kMaxDefectWarnings = 50;

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct OptionsFree {
  void operator()(GMimeParserOptions* o) const { g_mime_parser_options_free(o); }
};

// The input as GMime's memory-stream buffer without copying it: a GByteArray wrapper around the caller's bytes that
// the stream does not own (GMime only reads a stream it parses), released without freeing the bytes. Inputs too
// large for a GByteArray length are copied as usual.
class BorrowedBytes {
 public:
  explicit BorrowedBytes(std::string_view bytes) : bytes_(bytes) {
    if (bytes.size() <= G_MAXUINT)
      array_ = g_byte_array_new_take(reinterpret_cast<guint8*>(const_cast<char*>(bytes.data())), bytes.size());
  }
  ~BorrowedBytes() {
    if (array_ != nullptr) (void)g_byte_array_free(array_, FALSE);  // frees the wrapper, returns (keeps) the bytes
  }
  BorrowedBytes(const BorrowedBytes&) = delete;
  BorrowedBytes& operator=(const BorrowedBytes&) = delete;

  GMimeStream* stream() const {
    if (array_ == nullptr) return g_mime_stream_mem_new_with_buffer(bytes_.data(), bytes_.size());
    GMimeStream* s = g_mime_stream_mem_new_with_byte_array(array_);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(s), FALSE);
    return s;
  }

 private:
  std::string_view bytes_;
  GByteArray* array_ = nullptr;
};

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

const char* defect_name(GMimeParserWarning code) {
  switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid Content-Type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid RFC 2047 header value";
    case GMIME_WARN_MALFORMED_MULTIPART: return "malformed multipart";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without boundary";
    case GMIME_WARN_INVALID_PARAMETER: return "invalid parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW: return "nesting overflow";
    case GMIME_WARN_PART_WITHOUT_CONTENT: return "part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "part without headers or content";
  }
  return "MIME defect";
}

void on_defect(gint64 offset, GMimeParserWarning code, const gchar* item, gpointer user_data) {
  auto* tree = static_cast<MimeTree*>(user_data);
  // Address lists and RFC 2047 words are parsed by us, not GMime: its opinion on them is noise.
  if (code == GMIME_WARN_INVALID_ADDRESS_LIST || code == GMIME_WARN_INVALID_RFC2047_HEADER_VALUE ||
      code == GMIME_WARN_UNENCODED_8BIT_HEADER)
    return;
  if (tree->warnings.size() >= kMaxDefectWarnings) return;
  std::string w = std::string("MIME defect: ") + defect_name(code) + " at byte " + std::to_string(offset);
  if (item != nullptr && *item != '\0') w += " (" + text::server_text(text::utf8_prefix(item, 80)) + ")";
  tree->warnings.push_back(std::move(w));
}

std::string header_raw(GMimeObject* obj, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  if (list == nullptr) return {};
  GMimeHeader* h = g_mime_header_list_get_header(list, name);
  if (h == nullptr) return {};
  const char* raw = g_mime_header_get_raw_value(h);
  return raw == nullptr ? std::string() : unfold(raw);
}

std::string mime_type_of(GMimeObject* obj) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  if (ct == nullptr) return "application/octet-stream";
  char* s = g_mime_content_type_get_mime_type(ct);
  std::string out = s == nullptr ? std::string("application/octet-stream") : text::to_lower_ascii(s);
  g_free(s);
  return out;
}

std::string stream_bytes(GMimeStream* mem) {
  GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  if (arr == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(arr->data), arr->len);
}

// `capacity` bounds the result's size (the size of the input it was parsed from): the buffer is reserved once
// instead of growing by doubling, which at a 6 MB attached mail held twice its size for a moment. Unwritten reserved
// pages cost no memory.
std::string object_bytes(GMimeObject* obj, std::size_t capacity) {
  GPtr<GMimeStream> mem(g_mime_stream_mem_new_with_byte_array(
      g_byte_array_sized_new(static_cast<guint>(std::min<std::size_t>(capacity, G_MAXUINT)))));
  g_mime_object_write_to_stream(obj, nullptr, mem.get());
  return stream_bytes(mem.get());
}

// The object's bytes as they are in `input` (what the parser read), when GMime's serialisation differs from them only
// in line ends (see original_span.h); else GMime's serialisation. The object's first header gives the start.
std::string original_bytes(GMimeObject* obj, std::string_view input) {
  std::string written = object_bytes(obj, input.size());
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  GMimeHeader* first = list == nullptr || g_mime_header_list_get_count(list) == 0 ? nullptr
                                                                                    : g_mime_header_list_get_header_at(list, 0);
  const gint64 start = first == nullptr ? -1 : g_mime_header_get_offset(first);
  if (start < 0) return written;
  const auto span = original_span(input, static_cast<std::size_t>(start), written);
  return span ? std::string(*span) : written;
}

// The still-encoded bytes of a content stream that is a window on the parser's memory buffer (what GMime builds
// when it parses from memory), without copying them; false for any other kind of stream.
bool mem_window(GMimeStream* stream, std::string_view& out) {
  if (stream == nullptr || !GMIME_IS_STREAM_MEM(stream)) return false;
  GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  if (arr == nullptr) return false;
  const gint64 len = static_cast<gint64>(arr->len);
  const gint64 start = stream->bound_start;
  const gint64 end = stream->bound_end == -1 ? len : stream->bound_end;
  if (start < 0 || end < start || end > len) return false;
  out = std::string_view(reinterpret_cast<const char*>(arr->data) + start, static_cast<std::size_t>(end - start));
  return true;
}

// Transfer-decoded bytes of a leaf, decoded once straight into the result: canonical line-wrapped base64 by
// decode_base64_lines (the common case, ~3x GMime's decoder), other base64 and quoted-printable through GMime's own
// decoder state machines (same bytes as its filter stream), identity encodings copied once. Anything
// else (uuencode with its "begin" line, a stream that is not a memory window) takes GMime's filter stream.
std::string decoded_content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  const GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(content);
  GMimeStream* source = g_mime_data_wrapper_get_stream(content);  // transfer none (GMime 3)
  std::string_view raw;
  if (encoding != GMIME_CONTENT_ENCODING_UUENCODE && mem_window(source, raw)) {
    if (encoding != GMIME_CONTENT_ENCODING_BASE64 && encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
      return std::string(raw);
    std::string fast;
    if (encoding == GMIME_CONTENT_ENCODING_BASE64 && decode_base64_lines(raw, fast)) return fast;
    GMimeEncoding state;
    g_mime_encoding_init_decode(&state, encoding);
    std::string out(g_mime_encoding_outlen(&state, raw.size()), '\0');
    out.resize(g_mime_encoding_flush(&state, raw.data(), raw.size(), out.data()));
    return out;
  }
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  return stream_bytes(mem.get());
}

struct Frame {
  GMimeObject* obj;
  std::string path;
  std::size_t depth;
  std::string parent_type;
};

MimeLeaf leaf_of(const Frame& f) {
  MimeLeaf leaf;
  leaf.path = f.path;
  leaf.parent_type = f.parent_type;
  leaf.content_type = header_raw(f.obj, "Content-Type");
  leaf.default_type = mime_type_of(f.obj);
  leaf.disposition = header_raw(f.obj, "Content-Disposition");
  leaf.content_id = header_raw(f.obj, "Content-ID");
  return leaf;
}

void walk(GMimeObject* root, std::string_view input, MimeTree& tree) {
  std::vector<Frame> stack{{root, "1", 0, ""}};
  std::size_t parts = 0;
  while (!stack.empty()) {
    Frame f = std::move(stack.back());
    stack.pop_back();
    if (++parts > limits::kMimeParts) {
      tree.truncated = true;
      tree.warnings.push_back("more than " + std::to_string(limits::kMimeParts) + " MIME parts: the rest ignored");
      return;
    }
    if (GMIME_IS_MULTIPART(f.obj) && f.depth >= limits::kMimeDepth) {
      MimeLeaf leaf = leaf_of(f);
      leaf.opaque = true;
      leaf.data = original_bytes(f.obj, input);
      tree.truncated = true;
      tree.warnings.push_back("MIME depth over " + std::to_string(limits::kMimeDepth) + " at part " + f.path +
                              ": kept as an opaque attachment");
      tree.leaves.push_back(std::move(leaf));
      continue;
    }
    if (GMIME_IS_MULTIPART(f.obj)) {
      auto* mp = GMIME_MULTIPART(f.obj);
      const int n = g_mime_multipart_get_count(mp);
      const std::string type = mime_type_of(f.obj);
      const bool top = f.depth == 0;
      for (int i = n - 1; i >= 0; --i) {
        const std::string child = (top ? "" : f.path + ".") + std::to_string(i + 1);
        stack.push_back({g_mime_multipart_get_part(mp, i), child, f.depth + 1, type});
      }
      continue;
    }
    MimeLeaf leaf = leaf_of(f);
    if (GMIME_IS_MESSAGE_PART(f.obj)) {
      leaf.is_message = true;
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(f.obj));
      if (inner != nullptr) leaf.data = original_bytes(GMIME_OBJECT(inner), input);
    } else if (GMIME_IS_PART(f.obj)) {
      leaf.data = decoded_content(GMIME_PART(f.obj));
    } else {
      leaf.data = original_bytes(f.obj, input);  // message/partial and anything else: kept whole
    }
    tree.leaves.push_back(std::move(leaf));
  }
}

// Cuts a header section over the cap at a line boundary (the rest of the headers is ignored).
std::string cap_headers(std::string_view raw, MimeTree& tree) {
  {
    // Common case without scanning the body: the header section ends within the cap. A first match inside this
    // window is also the first match in the whole input.
    const std::string_view window = raw.substr(0, limits::kHeaderSectionBytes + 3);
    const std::size_t crlf = window.find("\n\r\n");
    // A bare-LF end can only come first if it starts before the CRLF one: CRLF mail never has "\n\n", and searching
    // the whole window for it cost 1% of the connector's CPU.
    const std::size_t lf = window.substr(0, crlf == std::string_view::npos ? window.size() : crlf + 2).find("\n\n");
    const std::size_t first = crlf < lf ? crlf : lf;
    if (first != std::string_view::npos && first + 1 <= limits::kHeaderSectionBytes) return {};
  }
  std::size_t end = raw.find("\n\r\n");
  std::size_t sep = 3;
  const std::size_t lf = raw.find("\n\n");
  if (end == std::string_view::npos || (lf != std::string_view::npos && lf < end)) {
    end = lf;
    sep = 2;
  }
  const std::size_t header_len = end == std::string_view::npos ? raw.size() : end + 1;
  if (header_len <= limits::kHeaderSectionBytes) return {};
  std::size_t cut = raw.rfind('\n', limits::kHeaderSectionBytes);
  if (cut == std::string_view::npos) cut = limits::kHeaderSectionBytes;
  tree.truncated = true;
  tree.warnings.push_back("header section over " + std::to_string(limits::kHeaderSectionBytes) +
                          " bytes: the rest of it ignored");
  std::string out(raw.substr(0, cut));
  out += "\r\n\r\n";
  if (end != std::string_view::npos) out.append(raw.substr(end + sep));
  return out;
}

}  // namespace

MimeTree read_mime_tree(std::string_view raw) {
  init_gmime();
  MimeTree tree;
  const std::string capped = cap_headers(raw, tree);
  const std::string_view input = capped.empty() ? raw : std::string_view(capped);

  BorrowedBytes bytes(input);  // declared first: outlives every GMime object reading from it
  std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
  g_mime_parser_options_set_warning_callback(options.get(), on_defect, &tree);
  GPtr<GMimeStream> stream(bytes.stream());
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_respect_content_length(parser.get(), FALSE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) {
    tree.warnings.push_back("no RFC 5322 message could be read: the input is kept as a text body");
    MimeLeaf leaf;
    leaf.path = "1";
    leaf.default_type = "text/plain";
    leaf.data = std::string(input);
    tree.leaves.push_back(std::move(leaf));
    return tree;
  }
  tree.parsed = true;
  GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  const int count = list == nullptr ? 0 : g_mime_header_list_get_count(list);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* name = g_mime_header_get_name(h);
    const char* value = g_mime_header_get_raw_value(h);
    tree.headers.push_back({name == nullptr ? "" : name, value == nullptr ? "" : unfold(value)});
  }
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  if (body != nullptr) {
    tree.top_content_type = header_raw(body, "Content-Type");
    walk(body, input, tree);
  }
  return tree;
}

}  // namespace emailv2::mime
