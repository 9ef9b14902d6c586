/* See LICENSE file for copyright and license details. */
/* see fmt.h */
#include <stdarg.h>
#include <string.h>

#include "fmt.h"

size_t
vfmt(char *buf, size_t n, const char *f, va_list ap)
{
	char num[24], c;
	const char *s;
	size_t len = 0, k, w, prec, pad;
	unsigned long long u;
	int left, zero, lng, neg, base;

	for (; *f; f++) {
		s = f, k = 1, w = 0, prec = (size_t)-1, pad = 0, neg = 0;
		left = zero = 0;
		if (*f == '%' && f[1]) {
			while (*++f == '-' || *f == '0')
				*f == '-' ? (left = 1) : (zero = 1);
			for (; *f >= '0' && *f <= '9'; f++)
				w = w * 10 + *f - '0';
			if (*f == '.' && f[1] == '*')
				prec = va_arg(ap, int), f += 2;
			else if (*f == '.')
				for (prec = 0, f++; *f >= '0' && *f <= '9'; f++)
					prec = prec * 10 + *f - '0';
			for (lng = 0; *f == 'l'; f++)
				lng++;
			switch (c = *f) {
			case 's':
				s = va_arg(ap, const char *);
				k = strnlen(s, prec);
				break;
			case 'c':
				num[0] = va_arg(ap, int), s = num;
				break;
			case 'd': case 'i': case 'u': case 'x': case 'o':
				base = c == 'x' ? 16 : c == 'o' ? 8 : 10;
				if (c == 'd' || c == 'i') {
					long long d = lng > 1 ? va_arg(ap, long long) :
					    lng ? va_arg(ap, long) : va_arg(ap, int);
					neg = d < 0;
					u = neg ? -(unsigned long long)d : (unsigned long long)d;
				} else {
					u = lng > 1 ? va_arg(ap, unsigned long long) : lng ?
					    va_arg(ap, unsigned long) : va_arg(ap, unsigned);
				}
				k = sizeof(num);
				do
					num[--k] = "0123456789abcdef"[u % base];
				while (u /= base);
				if (zero && !left)
					while (sizeof(num) - k + neg < w && k > 1)
						num[--k] = '0';
				if (neg)
					num[--k] = '-';
				s = num + k, k = sizeof(num) - k;
				break;
			default: /* %%, and what is not ours: as it stands */
				s = f;
			}
			pad = w > k ? w - k : 0;
		}
		for (; pad && !left; pad--, len++)
			if (len + 1 < n)
				buf[len] = ' ';
		if (len < n)
			memcpy(buf + len, s, len + k < n ? k : n - len);
		len += k;
		for (; pad; pad--, len++)
			if (len + 1 < n)
				buf[len] = ' ';
	}
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
