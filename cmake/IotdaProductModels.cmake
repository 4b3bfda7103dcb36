# IoTDA product models (docs/iotda-product-model.md): `cmake --build build --target iotda_product_models` writes one
# JSON file per product of thing_models/ into build/iotda-product-models/ with scripts/iotda_product_model.py (the
# build host's python3, found by ThingCodegen.cmake). Not part of `all`: only IoTDA users need the files.
set(DOCKLINK_IOTDA_PRODUCT_MODELS_DIR "${CMAKE_BINARY_DIR}/iotda-product-models")
add_custom_target(iotda_product_models
  COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/scripts/iotda_product_model.py"
          --models "${PROJECT_SOURCE_DIR}/thing_models" --out "${DOCKLINK_IOTDA_PRODUCT_MODELS_DIR}"
  COMMENT "IoTDA product models -> ${DOCKLINK_IOTDA_PRODUCT_MODELS_DIR}"
  VERBATIM)
