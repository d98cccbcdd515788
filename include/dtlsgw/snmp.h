/*
 * The SNMP codec of the snmp profile: the message layers of SNMPv1/v2c
 * (RFC 1157, RFC 1901) and SNMPv3 (RFC 3412 section 6, with the User-based
 * Security Model's parameters of RFC 3414 section 2.4 and the Transport
 * Security Model's empty ones of RFC 5591), and the PDUs of RFC 3416
 * section 3 down to their variable bindings, which are carried as bytes.
 *
 * A subset of BER (X.690), strict: one-octet tags, definite lengths in at
 * most 4 octets, every length inside its container and every container
 * filled exactly, INTEGERs in their shortest form and in the ranges the
 * MIB modules give, values of variable bindings primitive.  The layers
 * are fixed, so nesting is at most SNMP_MAX_DEPTH deep; nothing recurses.
 *
 * Pure functions over bytes: no allocation, no I/O.  Decoded byte strings
 * point into the message they were decoded from.
 */
#ifndef DTLSGW_SNMP_H
#define DTLSGW_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest message handled: the largest UDP payload. */
#define SNMP_MAX_LEN		65507
/* Containers from the message down to a variable binding's value. */
#define SNMP_MAX_DEPTH		7
/* snmpEngineID (RFC 3411): 5..32 octets; SnmpAdminString: 0..32 (USM). */
#define SNMP_ENGINE_ID_MAX	32
#define SNMP_ADMIN_STRING_MAX	255
/* msgMaxSize (RFC 3412): 484..2^31-1. */
#define SNMP_MIN_MAX_SIZE	484
/* The localEngineID of RFC 5343 section 3.1: 0x8000000006. */
#define SNMP_LOCAL_ENGINE_ID	"\x80\x00\x00\x00\x06"
#define SNMP_LOCAL_ENGINE_ID_LEN 5

enum snmp_version {
	SNMP_V1 = 0,
	SNMP_V2C = 1,
	SNMP_V3 = 3,
};

/* PDU tags: context-specific, constructed (RFC 3416 section 3). */
enum snmp_pdu_type {
	SNMP_PDU_GET = 0xa0,
	SNMP_PDU_GETNEXT = 0xa1,
	SNMP_PDU_RESPONSE = 0xa2,
	SNMP_PDU_SET = 0xa3,
	SNMP_PDU_TRAP_V1 = 0xa4,	/* refused: SNMPv1's Trap-PDU */
	SNMP_PDU_GETBULK = 0xa5,
	SNMP_PDU_INFORM = 0xa6,
	SNMP_PDU_TRAP = 0xa7,		/* SNMPv2-Trap */
	SNMP_PDU_REPORT = 0xa8,
};

/* msgFlags (RFC 3412 section 6.4) */
#define SNMP_FLAG_AUTH		0x01u
#define SNMP_FLAG_PRIV		0x02u
#define SNMP_FLAG_REPORTABLE	0x04u

/* msgSecurityModel (RFC 3411 section 5, RFC 5591) */
#define SNMP_SEC_MODEL_USM	3
#define SNMP_SEC_MODEL_TSM	4

/* Why a message was refused; snmp_error_name() gives counter names. */
enum snmp_error {
	SNMP_OK = 0,
	/* a length past its container, or a container not filled exactly */
	SNMP_ERR_LENGTH,
	/* a tag other than the one the layer expects, or a high tag number */
	SNMP_ERR_TAG,
	/* an indefinite length, or one of more than 4 octets */
	SNMP_ERR_INDEFINITE,
	/* an INTEGER not in its shortest form, or out of its range */
	SNMP_ERR_INTEGER,
	/* a version other than 0, 1 and 3 */
	SNMP_ERR_VERSION,
	/* a PDU type this codec does not carry (Trap-PDU of SNMPv1, unknown) */
	SNMP_ERR_PDU_TYPE,
	/* a malformed VarBindList */
	SNMP_ERR_VARBIND,
	/* an octet string of impossible size (engine ID, msgFlags, names) */
	SNMP_ERR_STRING,
	/* msgFlags with privacy but not authentication */
	SNMP_ERR_FLAGS,
	/* msgSecurityParameters that do not suit their security model */
	SNMP_ERR_SECURITY_PARAMETERS,
	/* over SNMP_MAX_LEN, or over the caller's buffer when encoding */
	SNMP_ERR_TOO_BIG,
};

/* A byte string: into the decoded message, or the caller's when encoding. */
struct snmp_bytes {
	const uint8_t	*p;
	size_t		 len;
};

/* A PDU (RFC 3416 section 3); GetBulk's fields share the error ones. */
struct snmp_pdu {
	uint8_t			type;		/* enum snmp_pdu_type */
	int32_t			request_id;
	int32_t			error_status;	/* GetBulk: non-repeaters */
	int32_t			error_index;	/* GetBulk: max-repetitions */
	/* the VarBindList, whole (its SEQUENCE header included) */
	struct snmp_bytes	varbinds;
};

/* UsmSecurityParameters (RFC 3414 section 2.4) */
struct snmp_usm {
	struct snmp_bytes	engine_id;	/* 0 or 5..32 octets */
	int32_t			engine_boots;	/* 0..2^31-1 */
	int32_t			engine_time;	/* 0..2^31-1 */
	struct snmp_bytes	user_name;	/* 0..32 octets */
	struct snmp_bytes	auth_params;
	struct snmp_bytes	priv_params;
};

struct snmp_msg {
	int32_t			version;	/* enum snmp_version */
	/* SNMPv1, SNMPv2c */
	struct snmp_bytes	community;
	/* SNMPv3: msgGlobalData */
	int32_t			msg_id;		/* 0..2^31-1 */
	int32_t			max_size;	/* 484..2^31-1 */
	uint8_t			flags;		/* SNMP_FLAG_* */
	int32_t			security_model;	/* 1..2^31-1 */
	/*
	 * msgSecurityParameters: the OCTET STRING's contents.  Decoding
	 * checks them for USM (parsed into usm) and TSM (empty); encoding
	 * writes usm for USM, else these bytes.
	 */
	struct snmp_bytes	security_params;
	struct snmp_usm		usm;
	/*
	 * With SNMP_FLAG_PRIV under USM the scopedPDU is encrypted: its
	 * bytes, and neither context nor pdu.
	 */
	struct snmp_bytes	encrypted_pdu;
	/* the scopedPDU's context (SNMPv3) */
	struct snmp_bytes	context_engine_id; /* 0..32 octets */
	struct snmp_bytes	context_name;	/* 0..255 octets */
	struct snmp_pdu		pdu;
};

/* A static snake_case name for e ("ok", "length", ...). */
const char *snmp_error_name(enum snmp_error e);

/* A static name for a PDU type ("GetRequest", ...; "unknown"). */
const char *snmp_pdu_type_name(uint8_t type);

/* Whether the PDU type asks for an answer: Get, GetNext, GetBulk, Set. */
bool snmp_pdu_is_request(uint8_t type);

/*
 * Decode the message at p, len bytes: exactly one message, nothing after
 * it.  On SNMP_OK *m describes it, its byte strings pointing into p; on
 * error *m is zeroed.
 */
enum snmp_error snmp_decode(const uint8_t *p, size_t len, struct snmp_msg *m);

/*
 * Encode m as a message of its version into out (cap bytes): lengths in
 * their shortest form.  SNMP_OK with *outlen set, SNMP_ERR_TOO_BIG when it
 * does not fit (cap or SNMP_MAX_LEN), or the error of a field out of its
 * range (*outlen is then 0).  The varbinds are written as they are, after
 * a check that they form a VarBindList.
 */
enum snmp_error snmp_encode(const struct snmp_msg *m, uint8_t *out,
			    size_t cap, size_t *outlen);

/*
 * Whether the VarBindList vb (whole, SEQUENCE header included) is well
 * formed: SEQUENCE OF SEQUENCE { OBJECT IDENTIFIER, a primitive value }.
 */
enum snmp_error snmp_varbinds_check(const uint8_t *vb, size_t len);

/*
 * Write into out (cap bytes) a VarBindList of the first k bindings of the
 * VarBindList vb (checked); its length, or 0 when vb has fewer than k or
 * it does not fit.
 */
size_t snmp_varbinds_cut(const uint8_t *vb, size_t len, size_t k,
			 uint8_t *out, size_t cap);

/* The number of bindings of the VarBindList vb (checked). */
size_t snmp_varbinds_count(const uint8_t *vb, size_t len);

/*
 * The first variable binding of the VarBindList vb (checked): its name
 * (the OBJECT IDENTIFIER's contents) and its value (tag and contents).
 * False when the list is empty.
 */
bool snmp_varbind_first(const uint8_t *vb, size_t len,
			struct snmp_bytes *name, uint8_t *tag,
			struct snmp_bytes *value);

#endif
