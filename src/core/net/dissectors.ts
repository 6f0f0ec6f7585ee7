/**
 * Loads every dissector module, so that each registers in the dissector tables (dispatch.ts);
 * the one list of them, as Wireshark's generated register.c. dissect.ts imports this.
 */
import './arp';
import './icmp';
import './ip';
import './ospf';
import './overlay';
import './ppi';
import './ppp';
import './transport';
