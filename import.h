/* See LICENSE file for copyright and license details. */
/* images into the store: see import.c */

/*
 * src: oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:REF]
 * or a plain path (a layout directory or an archive, told apart by what
 * it holds). Tagged as tag, or as the image's own name in src; its id
 * (the config's sha256, 64 hex digits) into id. Dies on any failure,
 * leaving nothing half-made in the store.
 */
void import_image(const char *src, const char *tag, char id[65]);
/* as tag: name it nothing, not even its own name in src */
#define IMPORT_UNNAMED ((const char *)1)
/* 1 if src names a source: a transport, or a path that exists */
int import_source(const char *src);
