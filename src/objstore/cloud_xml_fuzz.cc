// libFuzzer target: the XML reply parsers of the cloud stores (S3/GCS listings, Azure
// listings, error documents) on arbitrary bytes. They must return a Status, never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "objstore/azure_xml.h"
#include "objstore/cloud_common.h"
#include "objstore/s3_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto s3 = ds::objstore::ParseListObjectsV2(xml);
  if (s3.ok()) {
    for (const auto& m : s3->objects) {
      if (m.key.empty() || m.size < 0) __builtin_trap();
    }
  }
  auto azure = ds::objstore::ParseAzureBlobList(xml);
  if (azure.ok()) {
    for (const auto& m : azure->objects) {
      if (m.key.empty() || m.size < 0) __builtin_trap();
    }
  }
  ds::httpclient::HttpResponse response;
  response.status = 403;
  response.body = std::string(xml);
  (void)ds::objstore::ParseCloudError(response);
  return 0;
}
