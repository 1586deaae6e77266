# Sourced with a Debian architecture name (arm64, armhf): what building and running the box
# for it takes. Sets PI_TRIPLE (Rust target), PI_GCC (Debian's cross compiler, also the
# linker), PI_GCC_PACKAGE, PI_QEMU (Debian's qemu-user-static emulator) and PI_SYSROOT (the
# cross C library, where the emulator finds the dynamic loader).
case $1 in
  arm64)
    PI_TRIPLE=aarch64-unknown-linux-gnu
    PI_GCC=aarch64-linux-gnu-gcc
    PI_GCC_PACKAGE=gcc-aarch64-linux-gnu
    PI_QEMU=qemu-aarch64-static
    PI_SYSROOT=/usr/aarch64-linux-gnu
    ;;
  armhf)
    PI_TRIPLE=armv7-unknown-linux-gnueabihf
    PI_GCC=arm-linux-gnueabihf-gcc
    PI_GCC_PACKAGE=gcc-arm-linux-gnueabihf
    PI_QEMU=qemu-arm-static
    PI_SYSROOT=/usr/arm-linux-gnueabihf
    ;;
  *)
    echo "unknown architecture '$1' (arm64 or armhf)" >&2
    return 2
    ;;
esac
