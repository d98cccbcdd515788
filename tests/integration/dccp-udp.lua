-- Wireshark 4.0 registers its DCCP dissector for IP protocol 33 only, and
-- nothing for DTLS on DCCP ports (whose table takes no decode-as).  This
-- offers DCCP on UDP, on the RFC 6773 port (6511), so that decode-as takes
-- it for any UDP port, and DTLS on the DCCP port $DTLS_DCCP_PORT, for
-- packets that carry data (DCCP hands its subdissector empty payloads too,
-- which DTLS's would call malformed):
--   DTLS_DCCP_PORT=M tshark -X lua_script:dccp-udp.lua \
--          -d udp.port==N,dccp ...
local dccp = DissectorTable.get("ip.proto"):get_dissector(33)
DissectorTable.get("udp.port"):add(6511, dccp)

local port = tonumber(os.getenv("DTLS_DCCP_PORT") or "")
if port then
	local dtls = Dissector.get("dtls")
	local shim = Proto("dtls_dccp", "DTLS on DCCP")
	function shim.dissector(tvb, pinfo, tree)
		if tvb:len() == 0 then
			return 0
		end
		return dtls:call(tvb, pinfo, tree)
	end
	DissectorTable.get("dccp.port"):add(port, shim)
end
