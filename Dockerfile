# syntax=docker/dockerfile:1
# briefing in a small image, for CI systems that run each job in a container:
#
#   docker build -t briefing .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" briefing build --base-url https://example.org/
#
# The build stage compiles the static (musl) binary; the final image is
# Alpine (a shell, for CI systems that run their scripts inside the image,
# such as GitLab CI) with that one binary: about 20 MB. The site is
# mounted at /site, the working folder.

FROM rust:1-alpine AS build
# A C compiler and musl's headers for the one dependency with C code
# (mimalloc); not pinned, as Alpine drops the packages' old versions.
# hadolint ignore=DL3018
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN cargo build --locked --release \
    && strip target/release/briefing \
    && ./target/release/briefing --version

FROM alpine:3
COPY --from=build /src/target/release/briefing /usr/local/bin/briefing
COPY LICENSE-MIT LICENSE-APACHE /usr/share/doc/briefing/
WORKDIR /site
ENTRYPOINT ["briefing"]
CMD ["--help"]
