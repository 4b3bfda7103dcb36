// Reading the small XML bodies S3 answers with: an <Error> (code and message), the UploadId of
// CreateMultipartUpload. Not a general XML parser: S3 writes these elements without attributes, once each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docklink::transfer::detail {

/// The text of the first <name>...</name> element in `xml`, with the five predefined entities decoded; none when
/// the element is absent.
std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name);

/// What an S3 <Error> body says.
struct S3ErrorBody {
  std::string code;     ///< e.g. "SignatureDoesNotMatch"; empty when the body is no S3 error.
  std::string message;  ///< The server's human-readable message (may be empty).
};

/// The <Code> and <Message> of an <Error> body (S3 may send one even with status 200, after a Complete).
S3ErrorBody parse_s3_error(std::string_view body);

}  // namespace docklink::transfer::detail
