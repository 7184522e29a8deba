package dev.vessel.engine.vm.windows;

/**
 * The script Windows runs at the first logon of the unattended setup ({@code \vessel\firstlogon.cmd} on the setup
 * drive): it turns on Remote Desktop (with network-level authentication) and opens the firewall for it, so that
 * {@code -p 3389:3389} reaches it, and installs the QEMU guest agent (and the virtio drivers' installer, which brings
 * the balloon and serial drivers) from the drivers CD when there is one. Its output goes to
 * {@code C:\Windows\Temp\vessel-firstlogon.log}.
 */
public final class FirstLogon {
    private FirstLogon() {}

    public static String script() {
        String letters = String.join(" ", UnattendXml.LETTERS);
        return String.join(
                "\r\n",
                "@echo off",
                "rem Made by Vessel: Remote Desktop on, the guest agent installed from the drivers CD",
                "set LOG=C:\\Windows\\Temp\\vessel-firstlogon.log",
                "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\" /v fDenyTSConnections /t REG_DWORD /d 0 /f >> %LOG% 2>&1",
                "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\" /v UserAuthentication /t REG_DWORD /d 1 /f >> %LOG% 2>&1",
                "netsh advfirewall firewall set rule group=\"@FirewallAPI.dll,-28752\" new enable=Yes >> %LOG% 2>&1",
                "for %%d in (" + letters
                        + ") do if exist %%d:\\virtio-win-gt-x64.msi msiexec /i %%d:\\virtio-win-gt-x64.msi /qn /norestart >> %LOG% 2>&1",
                "for %%d in (" + letters
                        + ") do if exist %%d:\\guest-agent\\qemu-ga-x86_64.msi msiexec /i %%d:\\guest-agent\\qemu-ga-x86_64.msi /qn /norestart >> %LOG% 2>&1",
                "echo done >> %LOG%",
                "");
    }
}
