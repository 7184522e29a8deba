package dev.vessel.model;

/**
 * An unattended Windows setup ({@code vm create --unattend}): the local account to make, the language, the product
 * key. The password goes into the setup image only (as Windows' own obfuscated form); Vessel stores, logs and shows it
 * nowhere.
 *
 * @param locale e.g. en-US (the UI language, input and formats); default en-US
 * @param key a product key (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX); null to choose an edition without one (evaluation media)
 * @param timezone a Windows time zone name, e.g. "W. Europe Standard Time"; default UTC
 * @param computerName the guest's name; default the VM's name
 */
public record UnattendRequest(
        String user, String password, String locale, String key, String timezone, String computerName) {
    /** Never the password. */
    @Override
    public String toString() {
        return "UnattendRequest[user=" + user + ", locale=" + locale + ", key=" + (key == null ? null : "(set)")
                + ", timezone=" + timezone + ", computerName=" + computerName + "]";
    }
}
