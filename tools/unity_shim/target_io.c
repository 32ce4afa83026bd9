/*
 * pycmsisnn: stdout of a unit test on a QEMU board (tools/run_arm_unit_tests.py).
 * newlib's printf ends in _write; this one sends file 1 and 2 to the QEMU
 * console through semihosting (pycmsisnn/qemu_support/semihost.c).
 */
#include <stddef.h>
#include <stdint.h>

#include "pycmsisnn_target.h"

int _write(int file, const char *data, int len);

int _write(int file, const char *data, int len)
{
    char chunk[129];
    int done = 0;
    if (file != 1 && file != 2)
    {
        return -1;
    }
    while (done < len)
    {
        int n = len - done < 128 ? len - done : 128;
        for (int i = 0; i < n; i++)
        {
            chunk[i] = data[done + i];
        }
        chunk[n] = '\0';
        pycmsisnn_sh_write0(chunk);
        done += n;
    }
    return len;
}
