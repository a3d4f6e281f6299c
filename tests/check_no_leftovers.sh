#!/usr/bin/env bash
# Fails, listing them, if /dev/shm holds objects of ipc-harness: ipch-*, sem.ipch-*, or the
# classic scenario's fixed names.
left=$(ls /dev/shm 2>/dev/null |
  grep -E '^(sem\.)?(ipch-|YourMemoryMappedFileName$|NonPersisterMemoryMappedFilemutex$)')
if [ -n "$left" ]; then
  echo "named objects left in /dev/shm:"
  echo "$left"
  exit 1
fi
echo "nothing of ours in /dev/shm"
