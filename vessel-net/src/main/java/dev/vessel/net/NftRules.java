package dev.vessel.net;

import java.util.List;

/** Applies {@link NftRuleset} to the host: always the complete state, in one {@code nft -f -} transaction. */
public final class NftRules {
    private final HostNet host;

    public NftRules(HostNet host) {
        this.host = host;
    }

    public void apply(List<NetworkSpec> networks, List<NftRuleset.ResolvedForward> forwards) {
        host.nft(NftRuleset.render(networks, forwards));
    }

    /** Removes Vessel's tables, and nothing else. */
    public void remove() {
        apply(List.of(), List.of());
    }

    /** Vessel's tables as nft prints them, for inspection; empty when there are none. */
    public String list() {
        var sb = new StringBuilder();
        for (String table : List.of(NftRuleset.FILTER_TABLE, NftRuleset.NAT_TABLE)) {
            String[] familyAndName = table.split(" ");
            var r = host.attempt("nft", "list", "table", familyAndName[0], familyAndName[1]);
            if (r.ok()) {
                sb.append(r.stdout());
            }
        }
        return sb.toString();
    }
}
