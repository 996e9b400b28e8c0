import { describe, expect, it } from 'vitest'
import { isLoopbackHost, linkAtAddress } from './lanLinks.ts'

describe('loopback hosts', () => {
  it('knows this computer by every name', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      'LOCALHOST',
      'app.localhost',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true)
    }
    for (const host of [
      '192.168.1.20',
      '10.0.0.7',
      '0.0.0.0',
      '::',
      '[fd00::20]',
      'example.org',
      'localhost.example.org',
      '127.0.0.300',
      '1127.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false)
    }
  })
})

describe('links at a LAN address', () => {
  it('keeps the path and the key, and changes only where it points', () => {
    expect(
      linkAtAddress('http://127.0.0.1:8787/b/board-123#key=AbC_-9', '192.168.1.20', 8787),
    ).toBe('http://192.168.1.20:8787/b/board-123#key=AbC_-9')
    expect(linkAtAddress('http://localhost:5173/b/board-123#key=k', '10.0.0.7', 8787)).toBe(
      'http://10.0.0.7:8787/b/board-123#key=k',
    )
    expect(linkAtAddress('http://[::1]:8787/b/x?lang=es#key=k', '10.0.0.7', 8787)).toBe(
      'http://10.0.0.7:8787/b/x?lang=es#key=k',
    )
  })

  it('points at the server itself: plain HTTP on its port', () => {
    expect(linkAtAddress('https://localhost/b/board-123#key=k', '192.168.0.2', 80)).toBe(
      'http://192.168.0.2/b/board-123#key=k',
    )
    expect(linkAtAddress('http://localhost/b/board-123#key=k', '192.168.0.2', 8080)).toBe(
      'http://192.168.0.2:8080/b/board-123#key=k',
    )
  })
})
