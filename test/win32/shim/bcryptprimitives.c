/* Stand-in for Windows 10's bcryptprimitives.dll, which Wine 8.0 lacks.
 * Skia's Windows build (@napi-rs/canvas) imports ProcessPrng from it and
 * fails to load with "Module not found" without it. ProcessPrng fills the
 * buffer from advapi32's RtlGenRandom (SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        /* RtlGenRandom takes a ULONG length; split huge requests. */
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE; /* the real ProcessPrng is documented to always succeed */
}
