"""The channels a request arrives by and is answered on. Two sides in two layers: `outbound`
(below tickets) sends a payload to a contact point; `inbound` (above tickets) stores what
arrives and turns it into requests."""
