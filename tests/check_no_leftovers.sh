#!/usr/bin/env bash
# Fails, listing them, if /dev/shm holds objects of ipc-harness: ipch-*, sem.ipch-*, or the
# classic scenario's fixed names; or if System V shared memory holds a segment with an ipc-harness
# key (the xsi mapping kind's: 0x49 in the top byte).
left=$(ls /dev/shm 2>/dev/null |
  grep -E '^(sem\.)?(ipch-|YourMemoryMappedFileName$|NonPersisterMemoryMappedFilemutex$)')
segments=$(ipcs -m 2>/dev/null | awk '$1 ~ /^0x49[0-9a-f]{6}$/ {print "xsi segment " $1}')
if [ -n "$left$segments" ]; then
  echo "named objects left in /dev/shm:"
  echo "$left"
  echo "$segments"
  exit 1
fi
echo "nothing of ours in /dev/shm or System V shared memory"
