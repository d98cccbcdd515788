#!/bin/sh
# Make the certificates of the integration tests in DIR:
#   ca.pem ca.key            a test CA (ECDSA P-256)
#   server.pem server.key    CN=localhost, SAN localhost 127.0.0.1 ::1, from ca
#   client.pem client.key    CN=client, from ca
#   other-ca.pem             another CA
#   rogue.pem rogue.key      CN=rogue, from other-ca
#   server2.pem server2.key  another CN=localhost from ca (rotation)
#   ca-empty.crl             a CRL of ca revoking nothing
#   ca-revoked.crl           a CRL of ca revoking client.pem
#   NAME.fp                  "sha256:HEX" fingerprint of each certificate
set -eu
dir=${1:?usage: mkcerts.sh DIR}
mkdir -p "$dir"
cd "$dir"
ossl() { openssl "$@" 2>/dev/null; }

mkca() {
	ossl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$1.key" -out "$1.pem" -days 30 -subj "/CN=$2" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
}

mkleaf() {	# name cn ca san
	ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=%s\n' "$4" >"$1.ext"
	ossl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" \
		-CAcreateserial -out "$1.pem" -days 30 -extfile "$1.ext"
	rm -f "$1.csr" "$1.ext"
}

mkca ca "dtlsgw test CA"
mkca other-ca "another CA"
mkleaf server localhost ca "DNS:localhost,IP:127.0.0.1,IP:::1"
mkleaf client client ca "DNS:client"
mkleaf rogue rogue other-ca "DNS:rogue"
mkleaf server2 localhost ca "DNS:localhost,IP:127.0.0.1,IP:::1"

# openssl ca's database, for the CRLs
: >index.txt
echo 01 >crlnumber
cat >ca.cnf <<CNF
[ca]
default_ca = d
[d]
database = index.txt
crlnumber = crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_crl_days = 30
CNF
ossl ca -batch -config ca.cnf -gencrl -out ca-empty.crl
ossl ca -batch -config ca.cnf -revoke client.pem
ossl ca -batch -config ca.cnf -gencrl -out ca-revoked.crl
rm -f ca.cnf index.txt* crlnumber*
for c in ca server client rogue other-ca server2; do
	printf 'sha256:%s\n' "$(openssl x509 -in "$c.pem" -noout \
		-fingerprint -sha256 | sed 's/.*=//; s/://g')" >"$c.fp"
done
chmod 600 ./*.key
