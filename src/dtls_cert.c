/*
 * Certificates every backend shares: SHA-256 fingerprints, and the
 * ephemeral ECDSA P-256 certificate a context presents when none is
 * configured, one per process (so both backends present the same one and
 * one fingerprint is logged), made with wolfCrypt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "dtls_int.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"

static struct {
	bool	 made;
	uint8_t	*cert_der;
	size_t	 cert_len;
	uint8_t	*key_der;
	size_t	 key_len;
	uint8_t	 fp[32];
} ephemeral;

void dtls_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
	wc_Sha256Hash(data, (word32)len, out);
}

/* An ECDSA P-256 key and a self-signed certificate for a year. */
static int make_ephemeral(void)
{
	WC_RNG rng;
	ecc_key key;
	Cert cert;
	uint8_t *der = NULL, *kder = NULL;
	int ret = -DTLSGW_ERR_TLS, len;
	char fp[128];

	if (wc_InitRng(&rng) != 0)
		return -DTLSGW_ERR_TLS;
	if (wc_ecc_init(&key) != 0)
		goto out_rng;
	if (wc_ecc_make_key_ex(&rng, 32, &key, ECC_SECP256R1) != 0)
		goto out_key;
	der = malloc(4096);
	kder = malloc(512);
	if (der == NULL || kder == NULL)
		goto out_key;
	if (wc_InitCert(&cert) != 0)
		goto out_key;
	snprintf(cert.subject.commonName, CTC_NAME_SIZE, "dtlsgw ephemeral");
	snprintf(cert.subject.org, CTC_NAME_SIZE, "dtlsgw");
	cert.sigType = CTC_SHA256wECDSA;
	cert.daysValid = 365;
	cert.isCA = 0;
	if (wc_MakeCert(&cert, der, 4096, NULL, &key, &rng) < 0)
		goto out_key;
	len = wc_SignCert(cert.bodySz, cert.sigType, der, 4096, NULL, &key,
			  &rng);
	if (len <= 0)
		goto out_key;
	ephemeral.cert_len = (size_t)len;
	len = wc_EccKeyToDer(&key, kder, 512);
	if (len <= 0)
		goto out_key;
	ephemeral.key_len = (size_t)len;
	ephemeral.cert_der = der;
	ephemeral.key_der = kder;
	der = kder = NULL;
	dtls_sha256(ephemeral.cert_der, ephemeral.cert_len, ephemeral.fp);
	ephemeral.made = true;
	log_info("no certificate configured: using an ephemeral ECDSA P-256 "
		 "certificate, fingerprint %s",
		 dtls_fingerprint_str(ephemeral.fp, fp, sizeof(fp)));
	ret = 0;
out_key:
	wc_ecc_free(&key);
out_rng:
	wc_FreeRng(&rng);
	free(der);
	free(kder);
	return ret;
}

int dtls_ephemeral(const uint8_t **cert, size_t *certlen, const uint8_t **key,
		   size_t *keylen, uint8_t fp[32])
{
	int ret;

	if (!ephemeral.made) {
		ret = make_ephemeral();
		if (ret != 0)
			return ret;
	}
	*cert = ephemeral.cert_der;
	*certlen = ephemeral.cert_len;
	*key = ephemeral.key_der;
	*keylen = ephemeral.key_len;
	memcpy(fp, ephemeral.fp, 32);
	return 0;
}

void dtls_ephemeral_free(void)
{
	free(ephemeral.cert_der);
	if (ephemeral.key_der != NULL)
		memset(ephemeral.key_der, 0, ephemeral.key_len);
	free(ephemeral.key_der);
	memset(&ephemeral, 0, sizeof(ephemeral));
}
