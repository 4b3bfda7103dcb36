#include "docklink/ports/stream_log.hpp"

#include <cctype>
#include <chrono>

#include "docklink/ports/utc_time.hpp"

namespace docklink::ports {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_unicode_escape(std::string& out, unsigned code_unit) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHexDigits[(code_unit >> static_cast<unsigned>(shift)) & 0xFu];
}

// Length of the well-formed UTF-8 sequence starting at text[index], or 0 when the bytes there are not one
// (overlong forms, surrogates and code points above U+10FFFF are rejected, as RFC 3629 requires).
std::size_t utf8_sequence_length(std::string_view text, std::size_t index) {
  const auto byte_at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte_at(index);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (index + length > text.size()) return 0;
  const unsigned char second = byte_at(index + 1);
  if (second < low || second > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte_at(index + i) & 0xC0u) != 0x80u) return 0;
  }
  return length;
}

// Escapes `text` as the inside of a JSON string.
void append_json_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (byte) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          append_unicode_escape(out, byte);
        } else {
          out += static_cast<char>(byte);
        }
    }
    ++i;
  }
}

// Text lines keep bytes as they are except control characters, which become \n, \r, \t or \xNN.
void append_text_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += "\\x";
      out += kHexDigits[byte >> 4u];
      out += kHexDigits[byte & 0xFu];
    } else {
      out += c;
    }
  }
}

// Fixed-width upper-case level names keep text columns aligned.
const char* padded_level_name(port::LogLevel level) {
  switch (level) {
    case port::LogLevel::kTrace:
      return "TRACE";
    case port::LogLevel::kDebug:
      return "DEBUG";
    case port::LogLevel::kInfo:
      return "INFO ";
    case port::LogLevel::kWarn:
      return "WARN ";
    case port::LogLevel::kError:
      return "ERROR";
    case port::LogLevel::kOff:
      break;
  }
  return "OFF  ";
}

std::int64_t system_wall_ms() {
  return static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

StreamLog::StreamLog(StreamLogOptions options)
    : min_level_(options.min_level),
      format_(options.format),
      stream_(options.stream != nullptr ? options.stream : stderr),
      clock_(options.clock) {}

bool StreamLog::enabled(port::LogLevel level) const {
  const port::LogLevel min_level = min_level_.load(std::memory_order_relaxed);
  return level != port::LogLevel::kOff && min_level != port::LogLevel::kOff && level >= min_level;
}

void StreamLog::set_min_level(port::LogLevel level) noexcept { min_level_.store(level, std::memory_order_relaxed); }

std::string StreamLog::format_line(std::int64_t unix_ms, port::LogLevel level, std::string_view component,
                                   std::string_view message) const {
  std::string line;
  line.reserve(64 + component.size() + message.size());
  const std::string timestamp = format_iso8601_utc(unix_ms);
  if (format_ == LogFormat::kJsonLines) {
    line += "{\"ts\":\"";
    line += timestamp;
    line += "\",\"level\":\"";
    line += port::to_string(level);
    line += "\",\"component\":\"";
    append_json_escaped(line, component);
    line += "\",\"msg\":\"";
    append_json_escaped(line, message);
    line += "\"}\n";
  } else {
    line += timestamp;
    line += ' ';
    line += padded_level_name(level);
    line += ' ';
    append_text_escaped(line, component);
    line += ": ";
    append_text_escaped(line, message);
    line += '\n';
  }
  return line;
}

void StreamLog::write(port::LogLevel level, std::string_view component, std::string_view message) {
  if (!enabled(level)) return;
  const std::int64_t now_ms = clock_ != nullptr ? clock_->wall_ms() : system_wall_ms();
  std::string line;
  try {
    line = format_line(now_ms, level, component, message);
  } catch (...) {
    return;  // Out of memory: losing one diagnostic line beats throwing into the SDK.
  }
  std::lock_guard<std::mutex> lock(write_mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

Result<port::LogLevel> parse_log_level(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (port::LogLevel level : {port::LogLevel::kTrace, port::LogLevel::kDebug, port::LogLevel::kInfo,
                               port::LogLevel::kWarn, port::LogLevel::kError, port::LogLevel::kOff}) {
    if (lower == port::to_string(level)) return level;
  }
  if (lower == "warning") return port::LogLevel::kWarn;
  return Status(StatusCode::kInvalidArgument,
                "unknown log level '" + std::string(name) + "' (expected trace, debug, info, warn, error or off)");
}

}  // namespace docklink::ports
