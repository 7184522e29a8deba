package dev.vessel.engine.vm.windows;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Firmware;
import dev.vessel.model.UnattendRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Windows Setup's answer file, {@code autounattend.xml}, which Setup finds at the root of a removable drive: it
 * wipes the first disk and partitions it for the firmware (GPT with EFI and MSR partitions for UEFI, one active MBR
 * partition for BIOS), installs the first image (or the one the key picks), loads the virtio drivers from the setup
 * drive and the drivers CD when they are there, makes one local administrator who logs on once, skips the
 * out-of-box questions, and runs the first-logon script. Every value the user gives is checked against what Windows
 * accepts and XML-escaped; the password is in Windows' own encoding (base64 of UTF-16LE password + "Password"), which
 * hides it from a glance, not from a reader: the setup image is the VM's own and readable by root only.
 */
public final class UnattendXml {
    static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,19}");
    static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}-[A-Z]{2}");
    static final Pattern KEY = Pattern.compile("[A-Z0-9]{5}(-[A-Z0-9]{5}){4}");
    static final Pattern TIMEZONE = Pattern.compile("[A-Za-z0-9 .()+-]{1,64}");
    static final Pattern COMPUTER = Pattern.compile("[A-Za-z0-9-]{1,15}");
    /** The drive letters Setup and the first logon look for the setup drive and the drivers CD under. */
    static final List<String> LETTERS = List.of("D", "E", "F", "G", "H", "I", "J");

    private UnattendXml() {}

    /** The request with its defaults, checked; throws a field error for a value Windows would not take. */
    public static UnattendRequest checked(UnattendRequest r, String vmName) {
        String user = require("unattend.user", r.user(), USER, "1-20 letters, digits, '.', '_' or '-'");
        if (r.password() == null || r.password().isEmpty()) {
            throw VesselException.invalid("unattend.password", "the account needs a password");
        }
        if (r.password().length() > 127 || r.password().chars().anyMatch(c -> c < 0x20)) {
            throw VesselException.invalid("unattend.password", "must be 1-127 printable characters");
        }
        String locale = r.locale() == null ? "en-US" : require("unattend.locale", r.locale(), LOCALE, "like en-US");
        String key = r.key() == null ? null : require("unattend.key", r.key(), KEY, "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX");
        String tz = r.timezone() == null
                ? "UTC"
                : require("unattend.timezone", r.timezone(), TIMEZONE, "a Windows time zone name");
        String fallback = vmName.replaceAll("[^A-Za-z0-9-]", "-");
        String computer = r.computerName() == null
                ? fallback.substring(0, Math.min(15, fallback.length()))
                : require("unattend.computerName", r.computerName(), COMPUTER, "1-15 letters, digits or '-'");
        return new UnattendRequest(user, r.password(), locale, key, tz, computer);
    }

    private static String require(String field, String v, Pattern p, String what) {
        if (v == null || !p.matcher(v).matches()) {
            throw VesselException.invalid(field, "'" + (v == null ? "" : v) + "' is not valid here: " + what);
        }
        return v;
    }

    /** Windows' encoding of a password in an answer file. */
    static String encoded(String password, String suffix) {
        return Base64.getEncoder().encodeToString((password + suffix).getBytes(StandardCharsets.UTF_16LE));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * @param r a request from {@link #checked}
     * @param driversDir the virtio driver folder for this Windows (e.g. {@code w11}), or null without drivers
     */
    public static String render(UnattendRequest r, Firmware firmware, String driversDir) {
        var driverPaths = new StringBuilder();
        if (driversDir != null) {
            int n = 1;
            for (String letter : LETTERS) {
                for (String p : List.of(
                        letter + ":\\drivers",
                        letter + ":\\viostor\\" + driversDir + "\\amd64",
                        letter + ":\\vioscsi\\" + driversDir + "\\amd64",
                        letter + ":\\NetKVM\\" + driversDir + "\\amd64")) {
                    driverPaths
                            .append("        <PathAndCredentials wcm:action=\"add\" wcm:keyValue=\"")
                            .append(n++)
                            .append("\"><Path>")
                            .append(p)
                            .append("</Path></PathAndCredentials>\n");
                }
            }
        }
        boolean uefi = firmware.uefi();
        String partitions = uefi ? """
                        <CreatePartition wcm:action="add"><Order>1</Order><Type>EFI</Type><Size>100</Size></CreatePartition>
                        <CreatePartition wcm:action="add"><Order>2</Order><Type>MSR</Type><Size>16</Size></CreatePartition>
                        <CreatePartition wcm:action="add"><Order>3</Order><Type>Primary</Type><Extend>true</Extend></CreatePartition>
                      </CreatePartitions>
                      <ModifyPartitions>
                        <ModifyPartition wcm:action="add"><Order>1</Order><PartitionID>1</PartitionID><Format>FAT32</Format><Label>System</Label></ModifyPartition>
                        <ModifyPartition wcm:action="add"><Order>2</Order><PartitionID>3</PartitionID><Format>NTFS</Format><Label>Windows</Label><Letter>C</Letter></ModifyPartition>
                      </ModifyPartitions>
        """ : """
                        <CreatePartition wcm:action="add"><Order>1</Order><Type>Primary</Type><Extend>true</Extend></CreatePartition>
                      </CreatePartitions>
                      <ModifyPartitions>
                        <ModifyPartition wcm:action="add"><Order>1</Order><PartitionID>1</PartitionID><Format>NTFS</Format><Label>Windows</Label><Letter>C</Letter><Active>true</Active></ModifyPartition>
                      </ModifyPartitions>
        """;
        String key = r.key() == null
                ? ""
                : "        <ProductKey><Key>" + esc(r.key()) + "</Key><WillShowUI>OnError</WillShowUI></ProductKey>\n";
        var firstLogon = new StringBuilder();
        firstLogon
                .append(
                        "        <SynchronousCommand wcm:action=\"add\"><Order>1</Order><CommandLine>cmd /c \"for %d in (")
                .append(String.join(" ", LETTERS))
                .append(") do if exist %d:\\vessel\\firstlogon.cmd call %d:\\vessel\\firstlogon.cmd\"</CommandLine>")
                .append("<Description>Vessel first logon</Description></SynchronousCommand>\n");
        String pw = encoded(r.password(), "Password");
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <!-- Made by Vessel for an unattended Windows setup -->
                <unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">
                  <settings pass="windowsPE">
                    <component name="Microsoft-Windows-International-Core-WinPE" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
                      <SetupUILanguage><UILanguage>%1$s</UILanguage></SetupUILanguage>
                      <InputLocale>%1$s</InputLocale><SystemLocale>%1$s</SystemLocale><UILanguage>%1$s</UILanguage><UserLocale>%1$s</UserLocale>
                    </component>
                    <component name="Microsoft-Windows-PnpCustomizationsWinPE" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
                      <DriverPaths>
                %2$s      </DriverPaths>
                    </component>
                    <component name="Microsoft-Windows-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
                      <DiskConfiguration>
                        <Disk wcm:action="add">
                          <DiskID>0</DiskID>
                          <WillWipeDisk>true</WillWipeDisk>
                          <CreatePartitions>
                %3$s        </Disk>
                      </DiskConfiguration>
                      <ImageInstall>
                        <OSImage>
                          <InstallTo><DiskID>0</DiskID><PartitionID>%4$s</PartitionID></InstallTo>
                          <InstallFrom><MetaData wcm:action="add"><Key>/IMAGE/INDEX</Key><Value>1</Value></MetaData></InstallFrom>
                        </OSImage>
                      </ImageInstall>
                      <UserData>
                %5$s        <AcceptEula>true</AcceptEula>
                      </UserData>
                    </component>
                  </settings>
                  <settings pass="specialize">
                    <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
                      <ComputerName>%6$s</ComputerName>
                      <TimeZone>%7$s</TimeZone>
                    </component>
                  </settings>
                  <settings pass="oobeSystem">
                    <component name="Microsoft-Windows-International-Core" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
                      <InputLocale>%1$s</InputLocale><SystemLocale>%1$s</SystemLocale><UILanguage>%1$s</UILanguage><UserLocale>%1$s</UserLocale>
                    </component>
                    <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
                      <OOBE>
                        <HideEULAPage>true</HideEULAPage>
                        <HideLocalAccountScreen>true</HideLocalAccountScreen>
                        <HideOnlineAccountScreens>true</HideOnlineAccountScreens>
                        <HideWirelessSetupInOOBE>true</HideWirelessSetupInOOBE>
                        <ProtectYourPC>3</ProtectYourPC>
                      </OOBE>
                      <UserAccounts>
                        <LocalAccounts>
                          <LocalAccount wcm:action="add">
                            <Name>%8$s</Name>
                            <Group>Administrators</Group>
                            <Password><Value>%9$s</Value><PlainText>false</PlainText></Password>
                          </LocalAccount>
                        </LocalAccounts>
                      </UserAccounts>
                      <AutoLogon>
                        <Enabled>true</Enabled>
                        <LogonCount>1</LogonCount>
                        <Username>%8$s</Username>
                        <Password><Value>%9$s</Value><PlainText>false</PlainText></Password>
                      </AutoLogon>
                      <FirstLogonCommands>
                %10$s      </FirstLogonCommands>
                    </component>
                  </settings>
                </unattend>
                """.formatted(
                        esc(r.locale()),
                        driverPaths,
                        partitions,
                        uefi ? "3" : "1",
                        key,
                        esc(r.computerName()),
                        esc(r.timezone()),
                        esc(r.user()),
                        pw,
                        firstLogon);
    }
}
