// A compact JSON builder over RapidJSON's Writer, so payload code reads like the payload it writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace docklink::samples {

/// Builds one JSON text. Calls must nest correctly (open_object/close_object…), as with RapidJSON's Writer.
class JsonBuilder {
 public:
  /// Starts the top-level object.
  JsonBuilder() { writer_.StartObject(); }

  /// Adds "key": integer.
  JsonBuilder& num(const char* key, std::int64_t value) {
    writer_.Key(key);
    writer_.Int64(value);
    return *this;
  }
  /// Adds "key": number (rounded to `decimals` digits after the point, to keep payloads short).
  JsonBuilder& real(const char* key, double value, int decimals = 6) {
    writer_.Key(key);
    writer_.SetMaxDecimalPlaces(decimals);
    writer_.Double(value);
    return *this;
  }
  /// Adds "key": "text".
  JsonBuilder& str(const char* key, std::string_view value) {
    writer_.Key(key);
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
  }
  /// Adds "key": true/false.
  JsonBuilder& boolean(const char* key, bool value) {
    writer_.Key(key);
    writer_.Bool(value);
    return *this;
  }
  /// Adds "key": <raw JSON text>.
  JsonBuilder& raw(const char* key, std::string_view json) {
    writer_.Key(key);
    writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return *this;
  }
  /// Opens "key": { (or an anonymous object inside an array when key is null).
  JsonBuilder& open_object(const char* key = nullptr) {
    if (key != nullptr) writer_.Key(key);
    writer_.StartObject();
    return *this;
  }
  /// Closes the innermost object.
  JsonBuilder& close_object() {
    writer_.EndObject();
    return *this;
  }
  /// Opens "key": [.
  JsonBuilder& open_array(const char* key) {
    writer_.Key(key);
    writer_.StartArray();
    return *this;
  }
  /// Adds a string element to the open array.
  JsonBuilder& element(std::string_view value) {
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
  }
  /// Closes the innermost array.
  JsonBuilder& close_array() {
    writer_.EndArray();
    return *this;
  }
  /// Closes the top-level object and returns the text.
  std::string finish() {
    writer_.EndObject();
    return std::string(buffer_.GetString(), buffer_.GetSize());
  }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_{buffer_};
};

}  // namespace docklink::samples
