/*
 * tests/kvm/standalone.c -- `vmlab kvm` alone, for the nested harness.
 *
 * The nested harness runs the monitor inside a small Linux booted under
 * QEMU, whose initramfs has no shared libraries.  This front door links
 * host-kvm/ and the shared exit accounting statically, without the rest
 * of vmlab (readline, libyaml), and answers to the same command line:
 * `vmlab kvm run ...`.
 */
#include <stdio.h>
#include <string.h>

#include "cp/commands.h"

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "kvm")) {
		fprintf(stderr, "usage: vmlab kvm ...  (this build has only the "
				"kvm subcommand)\n");
		return 2;
	}
	return vmlab_kvm_main(argc - 1, argv + 1);
}
