// SHA-256 (FIPS 180-2 examples), HMAC-SHA256 (RFC 4231 test cases) and the streaming file MD5.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "docklink/ports/crypto.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::ports::file_md5_hex;
using docklink::ports::hmac_sha256_hex;
using docklink::ports::sha256_hex;
using docklink::ports::to_hex;

TEST_GROUP(Crypto){};

TEST(Crypto, Sha256KnownAnswers) {
  STRCMP_EQUAL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha256_hex("").c_str());
  STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha256_hex("abc").c_str());
  STRCMP_EQUAL("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
               sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").c_str());
}

TEST(Crypto, HmacSha256Rfc4231Case1) {
  STRCMP_EQUAL("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
               hmac_sha256_hex(std::string(20, '\x0b'), "Hi There").c_str());
}

TEST(Crypto, HmacSha256Rfc4231Case2ShortKey) {
  STRCMP_EQUAL("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
               hmac_sha256_hex("Jefe", "what do ya want for nothing?").c_str());
}

TEST(Crypto, HmacSha256Rfc4231Case3BinaryData) {
  STRCMP_EQUAL("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
               hmac_sha256_hex(std::string(20, '\xaa'), std::string(50, '\xdd')).c_str());
}

TEST(Crypto, HmacSha256Rfc4231Case6KeyLongerThanBlock) {
  STRCMP_EQUAL(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First").c_str());
}

TEST(Crypto, HexIsLowerCase) { STRCMP_EQUAL("00017fabff", to_hex(std::string("\x00\x01\x7f\xab\xff", 5)).c_str()); }

TEST_GROUP(FileMd5) {
  std::string path;
  void setup() override {
    path = (std::filesystem::temp_directory_path() / ("docklink-md5-" + std::to_string(::getpid()))).string();
  }
  void teardown() override {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  void write_file(const std::string& contents) {
    std::ofstream file(path, std::ios::binary);
    file << contents;
  }
};

TEST(FileMd5, SmallFile) {
  write_file("DockLink MD5 fixture\n");  // md5sum: 891839c80a488d51ce608a37d3be376c
  STRCMP_EQUAL("891839c80a488d51ce608a37d3be376c", file_md5_hex(path).value().c_str());
}

TEST(FileMd5, FileSpanningSeveralReadChunks) {
  write_file(std::string(200000, '\0'));  // head -c 200000 /dev/zero | md5sum
  STRCMP_EQUAL("4a1e4325031b13f933ac4f1db9ecb63f", file_md5_hex(path).value().c_str());
}

TEST(FileMd5, EmptyFile) {
  write_file("");
  STRCMP_EQUAL("d41d8cd98f00b204e9800998ecf8427e", file_md5_hex(path).value().c_str());
}

TEST(FileMd5, MissingFileIsNotFound) {
  auto digest = file_md5_hex(path + "-missing");
  CHECK_FALSE(digest.is_ok());
  CHECK_TRUE(digest.status().code() == StatusCode::kNotFound);
}

TEST(FileMd5, DirectoryIsAnIoError) {
  auto digest = file_md5_hex(std::filesystem::temp_directory_path().string());
  CHECK_FALSE(digest.is_ok());
  CHECK_TRUE(digest.status().code() == StatusCode::kIo);
}
