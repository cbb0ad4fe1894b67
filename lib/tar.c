/* tar.c: ustar archives, written and read in order; see tar.h. */
#include "tar.h"

#include <stdio.h>
#include <string.h>

#define BLOCK 512

/* The fields of a ustar header (POSIX.1-1988): offsets and lengths in the 512-byte block. */
enum { NAME = 0, MODE = 100, UID = 108, GID = 116, SIZE = 124, MTIME = 136, CHKSUM = 148,
       TYPEFLAG = 156, MAGIC = 257, VERSION = 263 };

/* v in len - 1 octal digits with leading zeros, then a NUL (a size up to 8 GiB in 12 bytes) */
static void octal(unsigned char *field, size_t len, uint64_t v)
{
	field[len - 1] = '\0';
	for (size_t i = len - 1; i-- > 0; v >>= 3)
		field[i] = (unsigned char)('0' + (v & 7));
}

/* The checksum: the header's bytes summed, its own field counted as spaces. */
static unsigned long checksum(const unsigned char *h)
{
	unsigned long sum = 0;
	for (int i = 0; i < BLOCK; i++)
		sum += (i >= CHKSUM && i < CHKSUM + 8) ? ' ' : h[i];
	return sum;
}

void kpr_tar_header(FILE *out, const char *name, uint64_t size, time_t mtime)
{
	unsigned char h[BLOCK] = { 0 };
	memcpy(h + NAME, name, strnlen(name, KPR_TAR_NAME_MAX));
	octal(h + MODE, 8, 0600);
	octal(h + UID, 8, 0);
	octal(h + GID, 8, 0);
	octal(h + SIZE, 12, size);
	octal(h + MTIME, 12, mtime < 0 ? 0 : (uint64_t)mtime);
	h[TYPEFLAG] = '0';
	memcpy(h + MAGIC, "ustar", 6);
	memcpy(h + VERSION, "00", 2);
	octal(h + CHKSUM, 7, checksum(h));	/* six digits, NUL, then a space */
	h[CHKSUM + 7] = ' ';
	fwrite(h, 1, BLOCK, out);
}

void kpr_tar_pad(FILE *out, uint64_t size)
{
	static const unsigned char zeros[BLOCK];
	if (size % BLOCK)
		fwrite(zeros, 1, BLOCK - size % BLOCK, out);
}

void kpr_tar_end(FILE *out)
{
	static const unsigned char zeros[2 * BLOCK];
	fwrite(zeros, 1, sizeof(zeros), out);
}

/* An octal field, NUL- or space-terminated; false when it holds anything else. */
static bool read_octal(const unsigned char *field, size_t len, uint64_t *v)
{
	size_t i = 0;
	*v = 0;
	while (i < len && field[i] == ' ')
		i++;
	if (i == len || field[i] < '0' || field[i] > '7')
		return false;
	for (; i < len && field[i] >= '0' && field[i] <= '7'; i++)
		*v = *v * 8 + (uint64_t)(field[i] - '0');
	return i == len || field[i] == '\0' || field[i] == ' ';
}

int kpr_tar_next(FILE *in, char *name, uint64_t *size, const char **why)
{
	unsigned char h[BLOCK];
	static const unsigned char zeros[BLOCK];
	uint64_t sum;

	if (fread(h, 1, BLOCK, in) != BLOCK) {
		*why = ferror(in) ? _("cannot read it") : _("it ends before the archive's end");
		return -1;
	}
	if (memcmp(h, zeros, BLOCK) == 0)
		return 0;
	if (!read_octal(h + CHKSUM, 8, &sum) || sum != checksum(h)) {
		*why = _("a header's checksum is wrong");
		return -1;
	}
	if (memcmp(h + MAGIC, "ustar", 5) != 0 || (h[TYPEFLAG] != '0' && h[TYPEFLAG] != '\0') ||
	    !read_octal(h + SIZE, 12, size)) {
		*why = _("a member is not a regular file of a ustar archive");
		return -1;
	}
	memcpy(name, h + NAME, KPR_TAR_NAME_MAX);
	name[KPR_TAR_NAME_MAX] = '\0';
	return 1;
}

bool kpr_tar_skip_pad(FILE *in, uint64_t size)
{
	unsigned char pad[BLOCK];
	size_t n = size % BLOCK ? BLOCK - size % BLOCK : 0;
	return fread(pad, 1, n, in) == n;
}
