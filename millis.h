/* See LICENSE file for copyright and license details. */
/*
 * Seconds, with decimals ("2", "0.25"), as milliseconds, for sbx and
 * init alike: a fraction of a millisecond counts as one. -1 for anything
 * else, or for more than a year. No strtod: it would double init's size.
 */
static long
millis_of(const char *s)
{
	long long ms = 0;
	long scale = 1000;
	int part = 0, digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if ((ms = ms * 10 + (*s - '0') * 1000) > 86400LL * 365 * 1000)
			return -1;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			ms += (scale /= 10) * (*s - '0');
			part |= !scale && *s != '0';
		}
	/* no more than a year, on 32-bit longs too */
	if (*s || !digits || ms > 86400LL * 365 * 1000)
		return -1;
	return ms + (part && !ms);
}
