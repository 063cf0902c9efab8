/** The boot test's pass marker: a oneshot unit that reports on ttyS0 what the booted system looks like. */
export const BOOT_MARKER = 'IMGC-BOOT-OK';

export const markerUnitPath = '/etc/systemd/system/imgc-boot-marker.service';
export const markerWantsPath = '/etc/systemd/system/multi-user.target.wants/imgc-boot-marker.service';

/** Prints the marker with the hostname and where / came from, so the test can check both. */
export const markerUnit = `[Unit]
Description=imgc boot test pass marker
After=local-fs.target
DefaultDependencies=no

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/ttyS0
ExecStart=/bin/sh -c 'echo "${BOOT_MARKER} host=$(cat /etc/hostname) root=$(findmnt -n -o SOURCE /) fstype=$(findmnt -n -o FSTYPE /) options=$(findmnt -n -o OPTIONS /)"'

[Install]
WantedBy=multi-user.target
`;
