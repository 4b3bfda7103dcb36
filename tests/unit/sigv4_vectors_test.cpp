// SigV4 against AWS's published S3 examples (GET with Range, PUT, value-less query, sorted query, pre-signed
// GET) and derived vectors for the dock's own requests (MinIO path-style with STS token and unsigned payload,
// UploadPart, CreateMultipartUpload, pre-signed GET with token), all with AWS's example keys and time.
#include <string>
#include <vector>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/transfer/sigv4.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::HttpHeader;
using docklink::ports::MbedtlsHashing;
using namespace docklink::transfer;

namespace {

constexpr std::int64_t k20130524Ms = 1369353600000;  // 2013-05-24T00:00:00Z
constexpr char kHost[] = "examplebucket.s3.amazonaws.com";
constexpr char kPutBodySha256[] = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
constexpr char kScope[] = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

S3Credentials example_keys(std::string token = "") {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", std::move(token)};
}

SigV4Request get_request(std::string path, std::vector<QueryParameter> query = {}) {
  SigV4Request request;
  request.path = std::move(path);
  request.query = std::move(query);
  request.headers = {{"Host", kHost}};
  request.payload_sha256 = std::string(kEmptyPayloadSha256);
  return request;
}

// The added headers of a header-signed request; fails the test when signing fails.
std::vector<HttpHeader> sign(const SigV4Request& request, const S3Credentials& credentials = example_keys()) {
  auto headers = sigv4_sign_headers(MbedtlsHashing(), credentials, SigV4Scope{}, k20130524Ms, request);
  CHECK_TRUE_TEXT(headers.is_ok(), headers.status().to_string().c_str());
  return headers.value();
}

std::string authorization(const std::vector<HttpHeader>& headers) {
  CHECK_TRUE(!headers.empty());
  STRCMP_EQUAL("Authorization", headers.back().name.c_str());
  return headers.back().value;
}

std::string authorization_for(const std::string& signed_headers, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=" + std::string(kScope) + ",SignedHeaders=" + signed_headers +
         ",Signature=" + signature;
}

// The SHA-256 of the canonical request the signer builds for `request` with the headers it adds.
std::string canonical_hash(SigV4Request request, const std::vector<HttpHeader>& added) {
  request.headers.insert(request.headers.end(), added.begin(), added.end() - 1);  // all but Authorization
  return docklink::ports::sha256_hex(sigv4_canonical_request(request).value());
}

}  // namespace

TEST_GROUP(SigV4Vectors){};

TEST(SigV4Vectors, SigningKey) {
  const std::string key =
      sigv4_signing_key(MbedtlsHashing(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", SigV4Scope{});
  STRCMP_EQUAL("dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378",
               docklink::ports::to_hex(key).c_str());
}

TEST(SigV4Vectors, V1GetObjectWithRangeCanonicalRequestAndStringToSign) {
  SigV4Request request = get_request("/test.txt");
  request.headers.push_back({"Range", "bytes=0-9"});
  const std::vector<HttpHeader> added = sign(request);
  LONGS_EQUAL(3, added.size());  // no session token: no x-amz-security-token
  STRCMP_EQUAL("x-amz-date", added[0].name.c_str());
  STRCMP_EQUAL("20130524T000000Z", added[0].value.c_str());
  STRCMP_EQUAL("x-amz-content-sha256", added[1].name.c_str());
  STRCMP_EQUAL(kEmptyPayloadSha256.data(), added[1].value.c_str());
  request.headers.insert(request.headers.end(), added.begin(), added.end() - 1);
  const std::string canonical = sigv4_canonical_request(request).value();
  STRCMP_EQUAL(
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      canonical.c_str());
  STRCMP_EQUAL(
      "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
      "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
      sigv4_string_to_sign(MbedtlsHashing(), "20130524T000000Z", SigV4Scope{}, canonical).c_str());
}

TEST(SigV4Vectors, V1GetObjectWithRangeAuthorization) {
  SigV4Request request = get_request("/test.txt");
  request.headers.push_back({"Range", "bytes=0-9"});
  STRCMP_EQUAL(authorization_for("host;range;x-amz-content-sha256;x-amz-date",
                                 "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
                   .c_str(),
               authorization(sign(request)).c_str());
}

TEST(SigV4Vectors, V2PutObjectWithDollarInKeyAndDateHeader) {
  SigV4Request request;
  request.method = "PUT";
  request.path = "/test$file.text";
  request.headers = {
      {"Host", kHost}, {"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  request.payload_sha256 = kPutBodySha256;
  const std::vector<HttpHeader> added = sign(request);
  STRCMP_EQUAL("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
               canonical_hash(request, added).c_str());
  STRCMP_EQUAL(authorization_for("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                                 "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
                   .c_str(),
               authorization(added).c_str());
}

TEST(SigV4Vectors, V3ValuelessQueryParameter) {
  const SigV4Request request = get_request("/", {{"lifecycle", ""}});
  const std::vector<HttpHeader> added = sign(request);
  STRCMP_EQUAL("9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
               canonical_hash(request, added).c_str());
  STRCMP_EQUAL(authorization_for("host;x-amz-content-sha256;x-amz-date",
                                 "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
                   .c_str(),
               authorization(added).c_str());
}

TEST(SigV4Vectors, V4QuerySortedWhateverTheGivenOrder) {
  const SigV4Request request = get_request("/", {{"prefix", "J"}, {"max-keys", "2"}});
  const std::vector<HttpHeader> added = sign(request);
  STRCMP_EQUAL("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
               canonical_hash(request, added).c_str());
  STRCMP_EQUAL(authorization_for("host;x-amz-content-sha256;x-amz-date",
                                 "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
                   .c_str(),
               authorization(added).c_str());
}

TEST(SigV4Vectors, V5PresignedGet) {
  auto query =
      sigv4_presign_query(MbedtlsHashing(), example_keys(), SigV4Scope{}, k20130524Ms, get_request("/test.txt"), 86400);
  CHECK_TRUE_TEXT(query.is_ok(), query.status().to_string().c_str());
  STRCMP_EQUAL(
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
      "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
      query.value().c_str());
}

TEST(SigV4Vectors, D1MinioPathStyleWithTokenAndUnsignedPayload) {
  auto address = s3_object_address("https://minio.example.com:9000", "cloud-bucket", "wayline/photo 1.jpg",
                                   S3Addressing::kPathStyle);
  CHECK_TRUE(address.is_ok());
  STRCMP_EQUAL("https://minio.example.com:9000/cloud-bucket/wayline/photo%201.jpg", address.value().url.c_str());
  SigV4Request request;
  request.method = "PUT";
  request.path = address.value().path;
  request.headers = {{"Host", address.value().host}};
  request.payload_sha256 = std::string(kUnsignedPayload);
  const std::vector<HttpHeader> added = sign(request, example_keys("EXAMPLE-SESSION-TOKEN"));
  LONGS_EQUAL(4, added.size());
  STRCMP_EQUAL("UNSIGNED-PAYLOAD", added[1].value.c_str());
  STRCMP_EQUAL("x-amz-security-token", added[2].name.c_str());
  STRCMP_EQUAL("EXAMPLE-SESSION-TOKEN", added[2].value.c_str());
  STRCMP_EQUAL("6821d34d7b53396a69cce9f29e67e231d3744fdfe1dacfaf27ff01081b6a956a",
               canonical_hash(request, added).c_str());
  STRCMP_EQUAL(authorization_for("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                                 "eb39418b867b71612b1bca4fc6b5ceedb8ab3963742a6551d9e8987c69e3da3f")
                   .c_str(),
               authorization(added).c_str());
}

TEST(SigV4Vectors, D2UploadPartWithToken) {
  SigV4Request request = get_request("/media/DJI_0001.JPG", {{"uploadId", "EXAMPLE-UPLOAD-ID"}, {"partNumber", "1"}});
  request.method = "PUT";
  request.payload_sha256 = kPutBodySha256;
  const std::vector<HttpHeader> added = sign(request, example_keys("EXAMPLE-SESSION-TOKEN"));
  STRCMP_EQUAL("224f45d7204a4e5b16909cea371b598d59820a1ff6983d500814decee7c1cbe6",
               canonical_hash(request, added).c_str());
  STRCMP_EQUAL(authorization_for("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                                 "289b49d1b8f3645eed91988523098981d19edb458a9c514a346e8bbff982e358")
                   .c_str(),
               authorization(added).c_str());
}

TEST(SigV4Vectors, D3CreateMultipartUploadWithToken) {
  SigV4Request request = get_request("/media/DJI_0001.JPG", {{"uploads", ""}});
  request.method = "POST";
  const std::vector<HttpHeader> added = sign(request, example_keys("EXAMPLE-SESSION-TOKEN"));
  STRCMP_EQUAL("7763ace354ae6721c477c63fb87914dbcffd6673f5229ed4e9dfd36c1b222e46",
               canonical_hash(request, added).c_str());
  STRCMP_EQUAL(authorization_for("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                                 "6c5bac00d4047f3f7647702f34319dd9d50e32eb3bf8359fd13375b93ef3931f")
                   .c_str(),
               authorization(added).c_str());
}

TEST(SigV4Vectors, D4PresignedGetWithToken) {
  auto query = sigv4_presign_query(MbedtlsHashing(), example_keys("EXAMPLE-SESSION-TOKEN"), SigV4Scope{}, k20130524Ms,
                                   get_request("/test.txt"), 3600);
  CHECK_TRUE_TEXT(query.is_ok(), query.status().to_string().c_str());
  STRCMP_EQUAL(
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
      "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=EXAMPLE-SESSION-TOKEN"
      "&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=8b336d9dd1ee9131f92e20cd7b647c33fd3b40cad23654f2738b094b6c2ac00a",
      query.value().c_str());
}
