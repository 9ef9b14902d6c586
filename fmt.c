/* See LICENSE file for copyright and license details. */
/*
 * fmt.c: the printf conversions of fmt.h, into the caller's buffer; never
 * stdio, malloc or a conversion more: each would grow init (see fmt.h).
 */
#include <stdarg.h>
#include <string.h>

#include "fmt.h"

/* one conversion: its flags, width, precision and length, and room for
 * the text of a number (at its end) or of a %c */
struct spec {
	int left, zero, lng;
	size_t w, prec;
	char num[24];
};

/* f at a '%': fills sp up to the conversion's letter, and returns it */
static const char *
parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = sp->zero = sp->lng = 0;
	sp->w = 0, sp->prec = (size_t)-1;
	while (*++f == '-' || *f == '0')
		*f == '-' ? (sp->left = 1) : (sp->zero = 1);
	for (; *f >= '0' && *f <= '9'; f++)
		sp->w = sp->w * 10 + *f - '0';
	if (*f == '.' && f[1] == '*')
		sp->prec = va_arg(*ap, int), f += 2;
	else if (*f == '.')
		for (sp->prec = 0, f++; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + *f - '0';
	for (; *f == 'l'; f++)
		sp->lng++;
	return f;
}

/* %d %i %u %x or %o (c) at the end of sp->num, zero-padded to the width
 * with 0 (not with -); returns its start, *k its length */
static const char *
integer(int c, struct spec *sp, va_list *ap, size_t *k)
{
	unsigned long long u;
	int neg = 0, base = c == 'x' ? 16 : c == 'o' ? 8 : 10;
	size_t i = sizeof(sp->num);

	if (c == 'd' || c == 'i') {
		long long d = sp->lng > 1 ? va_arg(*ap, long long) :
		    sp->lng ? va_arg(*ap, long) : va_arg(*ap, int);
		neg = d < 0;
		u = neg ? -(unsigned long long)d : (unsigned long long)d;
	} else {
		u = sp->lng > 1 ? va_arg(*ap, unsigned long long) : sp->lng ?
		    va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
	}
	do
		sp->num[--i] = "0123456789abcdef"[u % base];
	while (u /= base);
	if (sp->zero && !sp->left)
		while (sizeof(sp->num) - i + neg < sp->w && i > 1)
			sp->num[--i] = '0';
	if (neg)
		sp->num[--i] = '-';
	*k = sizeof(sp->num) - i;
	return sp->num + i;
}

/* the text for the conversion letter at f: returns its start, *k its
 * length */
static const char *
convert(const char *f, struct spec *sp, va_list *ap, size_t *k)
{
	const char *s;

	switch (*f) {
	case 's':
		s = va_arg(*ap, const char *);
		*k = strnlen(s, sp->prec);
		return s;
	case 'c':
		sp->num[0] = va_arg(*ap, int);
		return sp->num;
	case 'd': case 'i': case 'u': case 'x': case 'o':
		return integer(*f, sp, ap, k);
	default: /* %%, and what is not ours: as it stands */
		return f;
	}
}

size_t
vfmt(char *buf, size_t n, const char *f, va_list ap)
{
	struct spec sp;
	const char *s;
	size_t len = 0, k, pad;
	va_list aq;

	/* the helpers take it by address: ap itself may be an array's */
	va_copy(aq, ap);
	for (; *f; f++) {
		s = f, k = 1, pad = 0, sp.left = 0;
		if (*f == '%' && f[1]) {
			f = parse_spec(f, &sp, &aq);
			/* an unfinished conversion ends the text, not past it */
			if (!*f)
				break;
			s = convert(f, &sp, &aq, &k);
			pad = sp.w > k ? sp.w - k : 0;
		}
		for (; pad && !sp.left; pad--, len++)
			if (len + 1 < n)
				buf[len] = ' ';
		if (len < n)
			memcpy(buf + len, s, len + k < n ? k : n - len);
		len += k;
		for (; pad; pad--, len++)
			if (len + 1 < n)
				buf[len] = ' ';
	}
	va_end(aq);
	if (n)
		buf[len < n ? len : n - 1] = '\0';
	return len;
}

size_t
fmt(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, f);
	len = vfmt(buf, n, f, ap);
	va_end(ap);
	return len;
}
