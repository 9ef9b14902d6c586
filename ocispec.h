/* See LICENSE file for copyright and license details. */
/* the OCI runtime's own words: see ocispec.c */

/* --version, naming the spec's; the features JSON; spec: a default
 * config.json in bundle (NULL: here), rootless or for root */
int oci_version(void);
int oci_features(void);
int oci_spec(const char *bundle, int rootless);
