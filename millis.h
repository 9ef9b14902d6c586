/* See LICENSE file for copyright and license details. */
/*
 * Seconds, with decimals ("2", "0.25"), as milliseconds, for sbx and
 * init alike: a fraction of a millisecond counts as one. -1 for anything
 * else, MILLIS_TOO_LONG for more than a year. No strtod: it would double
 * init's size.
 */
#define MILLIS_TOO_LONG -2
static long
millis_of(const char *s)
{
	long long ms = 0;
	long scale = 1000;
	int part = 0, digits = 0;

	/* past a year it stops counting, but still reads the digits */
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if (ms <= 86400LL * 365 * 1000)
			ms = ms * 10 + (*s - '0') * 1000;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			ms += (scale /= 10) * (*s - '0');
			part |= !scale && *s != '0';
		}
	if (*s || !digits)
		return -1;
	/* no more than a year, on 32-bit longs too */
	if (ms > 86400LL * 365 * 1000)
		return MILLIS_TOO_LONG;
	return ms + (part && !ms);
}
