/*
 * encoding.h: raw input bytes in UTF-8 or GB18030 to checked UTF-8, a chunk at a time.
 *
 *     buf = kpr_decoder_buffer(d, &room); n = fread(buf, 1, room, fp); kpr_decoder_push(d, n, n < room);
 *     while ((rc = kpr_decoder_pull(d, &s, &len)) > 0) ... s[0..len) is valid UTF-8 ...
 *
 * The decoder owns its input buffer, so that a character cut by a chunk boundary is kept for the
 * next chunk without the caller's help.  UTF-8 passes through uncopied once validated; GB18030
 * goes through iconv.  A leading byte-order mark is dropped.  A NUL byte is refused in both
 * encodings: records are C strings.  The first invalid byte stops the decoder, after it has
 * handed out every valid piece before it; its file offset and value are then in the decoder.
 */
#ifndef KPR_ENCODING_H
#define KPR_ENCODING_H

#include "kpr.h"

#include "reader.h"

/*
 * Raw bytes read at a time: chunk boundaries fall at multiples of this in the file.  The fuzz
 * build makes it small (-DKPR_CHUNK=64) so that short inputs cross many boundaries.
 */
#ifndef KPR_CHUNK
#define KPR_CHUNK 65536
#endif

/*
 * The length of the longest prefix of s[0..len) that is valid UTF-8 without NUL bytes.  *cut is
 * set when the prefix stops at a sequence that is valid so far but ends with the buffer.
 */
size_t kpr_utf8_valid_prefix(const void *s, size_t len, bool *cut);

/* Line breaks (\n, \r\n, a lone \r) in s[0..len); *pending_cr carries a \r ending the buffer. */
long kpr_count_line_breaks(const char *s, size_t len, bool *pending_cr);

enum kpr_decode_error {
	KPR_DECODE_OK,
	KPR_DECODE_INVALID,	/* a byte that cannot start or continue a character here */
	KPR_DECODE_NUL,		/* a NUL byte */
	KPR_DECODE_UTF16	/* a UTF-16 byte-order mark at the start of the input */
};

struct kpr_decoder;

/* A decoder for UTF-8 (the encoding can be changed until the first pull).  Never NULL. */
struct kpr_decoder *kpr_decoder_new(enum kpr_encoding enc);
/*
 * Decode as enc from now on.  Returns false, with errno set, when iconv has no converter for it
 * (GB18030 is in glibc, so only a broken installation sees this).
 */
bool kpr_decoder_set_encoding(struct kpr_decoder *d, enum kpr_encoding enc) KPR_WARN_UNUSED;
enum kpr_encoding kpr_decoder_encoding(const struct kpr_decoder *d);
void kpr_decoder_free(struct kpr_decoder *d);

/* Where to put the next raw bytes; *room is at least KPR_CHUNK. */
unsigned char *kpr_decoder_buffer(struct kpr_decoder *d, size_t *room);
/* n raw bytes were written at the buffer; final: the input ends after them. */
void kpr_decoder_push(struct kpr_decoder *d, size_t n, bool final);
/* The raw bytes pushed and not yet decoded (to sniff the start of a file before decoding). */
const unsigned char *kpr_decoder_peek(const struct kpr_decoder *d, size_t *len);

/*
 * The next piece of UTF-8 in *s, *len (valid until the next call to any decoder function).
 * Returns 1 for a piece, 0 when more input is needed (or the input has ended cleanly), -1 at
 * invalid input: see kpr_decoder_error().  Once -1, always -1.
 */
int kpr_decoder_pull(struct kpr_decoder *d, const char **s, size_t *len) KPR_WARN_UNUSED;
/* What stopped the decoder, the offset in the input of the offending byte and its value. */
enum kpr_decode_error kpr_decoder_error(const struct kpr_decoder *d, uint64_t *offset, unsigned char *byte);
/* After invalid UTF-8: do the bytes from the offending one to the end of its line read as
 * GB18030 with two Chinese characters or more?  (For a hint: a file whose headers are ASCII is
 * not detected as GB18030.  One character is not enough: a cut UTF-8 sequence is often one.) */
bool kpr_decoder_error_looks_gb18030(const struct kpr_decoder *d);

#endif
