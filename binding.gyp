{
  # The Mbed TLS binding: node-addon-api over the system's libmbedtls 2.28 (Debian/Ubuntu libmbedtls-dev).
  # Built by `node native/install.mjs` (the package's install script).
  "targets": [
    {
      "target_name": "tlssim_mbedtls",
      "sources": [
        "native/binding.cc",
        "native/callback_scope.cc",
        "native/args.cc",
        "native/ctr_drbg.cc",
        "native/heap_accounting.cc",
        "native/x509_crt.cc",
        "native/pk_context.cc",
        "native/ssl_config.cc",
        "native/ssl_context.cc",
        "native/ssl_session.cc"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except_all"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-ldl"]
    }
  ]
}
