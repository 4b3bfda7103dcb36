// SigV4 URI encoding, the canonical query string and x-amz-date.
#include <algorithm>
#include <utility>

#include "docklink/transfer/sigv4.hpp"
#include "transfer/sigv4_detail.hpp"

namespace docklink::transfer {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool unreserved(unsigned char byte) {
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-' ||
         byte == '_' || byte == '.' || byte == '~';
}

// AWS's UriEncode: unreserved bytes stay, '/' stays when asked, every other byte is %XX with upper-case hex.
std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string encoded;
  encoded.reserve(text.size() * 3);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (unreserved(byte) || (keep_slash && byte == '/')) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kUpperHex[byte >> 4u];
      encoded += kUpperHex[byte & 0xFu];
    }
  }
  return encoded;
}

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days, for days >= 0).
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) {
  days += 719468;
  const std::int64_t era = days / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
}

void append_digits(std::string& out, unsigned value, int width) {
  std::string digits(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i, value /= 10) digits[static_cast<std::size_t>(i)] = char('0' + value % 10);
  out += digits;
}

}  // namespace

std::string sigv4_encode_path(std::string_view path) { return uri_encode(path, true); }

std::string sigv4_encode_query(std::string_view component) { return uri_encode(component, false); }

std::string sigv4_canonical_query(const std::vector<QueryParameter>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const QueryParameter& parameter : query) {
    encoded.emplace_back(sigv4_encode_query(parameter.name), sigv4_encode_query(parameter.value));
  }
  std::sort(encoded.begin(), encoded.end());  // by encoded name, then encoded value, byte order
  std::string canonical;
  for (const auto& [name, value] : encoded) {
    if (!canonical.empty()) canonical += '&';
    canonical += name;
    canonical += '=';
    canonical += value;
  }
  return canonical;
}

std::string sigv4_amz_date(std::int64_t unix_ms) {
  const std::int64_t seconds = std::max<std::int64_t>(unix_ms, 0) / 1000;
  int year = 1970;
  unsigned month = 1, day = 1;
  civil_from_days(seconds / 86400, year, month, day);
  const auto second_of_day = static_cast<unsigned>(seconds % 86400);
  std::string text;
  text.reserve(16);
  append_digits(text, static_cast<unsigned>(year), 4);
  append_digits(text, month, 2);
  append_digits(text, day, 2);
  text += 'T';
  append_digits(text, second_of_day / 3600, 2);
  append_digits(text, second_of_day / 60 % 60, 2);
  append_digits(text, second_of_day % 60, 2);
  text += 'Z';
  return text;
}

namespace detail {

bool amz_date_representable(std::int64_t unix_ms) {
  constexpr std::int64_t kYear10000Ms = 253402300800000;  // 10000-01-01T00:00:00Z
  return unix_ms >= 0 && unix_ms < kYear10000Ms;
}

}  // namespace detail

}  // namespace docklink::transfer
