import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { lanAddressesOf } from './serverAddresses.ts'

const entry = (address: string, internal = false): NetworkInterfaceInfo =>
  (address.includes(':')
    ? {
        address,
        family: 'IPv6',
        internal,
        netmask: 'ffff:ffff:ffff:ffff::',
        mac: '',
        cidr: null,
        scopeid: 0,
      }
    : {
        address,
        family: 'IPv4',
        internal,
        netmask: '255.255.255.0',
        mac: '',
        cidr: null,
      }) as NetworkInterfaceInfo

const interfaces = {
  lo: [entry('127.0.0.1', true), entry('::1', true)],
  docker0: [entry('172.17.0.1')],
  eth0: [entry('10.0.0.7'), entry('fe80::1')],
  wlan0: [entry('192.168.1.20'), entry('fd00::20')],
  zeroconf: [entry('169.254.3.4')],
}

describe('LAN addresses', () => {
  it('has none when the server listens on loopback only', () => {
    expect(lanAddressesOf('127.0.0.1', interfaces)).toEqual([])
    expect(lanAddressesOf('::1', interfaces)).toEqual([])
  })

  it('lists every non-internal IPv4 address when it listens on all, most likely LAN first', () => {
    const all = ['192.168.1.20', '10.0.0.7', '172.17.0.1', '169.254.3.4']
    expect(lanAddressesOf('0.0.0.0', interfaces)).toEqual(all)
    expect(lanAddressesOf('::', interfaces)).toEqual(all)
  })

  it('is the one address it listens on', () => {
    expect(lanAddressesOf('10.0.0.7', interfaces)).toEqual(['10.0.0.7'])
    expect(lanAddressesOf('::ffff:10.0.0.7', interfaces)).toEqual(['10.0.0.7'])
    expect(lanAddressesOf('fd00::20', interfaces)).toEqual([])
  })
})
