# tlssim in a container: Node 20, the Mbed TLS 2.28 headers for the native binding, openssl and socat.
FROM node:20-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmbedtls-dev openssl socat python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /tlssim
COPY package.json package-lock.json binding.gyp ./
COPY native ./native
COPY tools ./tools
RUN npm ci
COPY . .
RUN npm run build:js
ENTRYPOINT ["node", "bin/tlssim.mjs"]
CMD ["--help"]
