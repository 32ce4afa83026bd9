/*
 * pycmsisnn: the minimal Unity-compatible test shim (see unity.h).
 * A failed assertion longjmps back to UnityDefaultTestRun, which then calls
 * tearDown and reports the test as failed.
 */
#include "unity.h"

#include <setjmp.h>
#include <stdio.h>

static const char *unity_file = "";
static const char *unity_test = "";
static int unity_tests;
static int unity_failures;
static jmp_buf unity_abort;

void UnityBegin(const char *filename)
{
    unity_file = filename;
    unity_tests = 0;
    unity_failures = 0;
}

int UnityEnd(void)
{
    printf("\n-----------------------\n%d Tests %d Failures 0 Ignored\n%s\n", unity_tests, unity_failures,
           unity_failures == 0 ? "OK" : "FAIL");
    fflush(stdout);
    return unity_failures;
}

void UnityDefaultTestRun(UnityTestFunction func, const char *name, int line)
{
    unity_test = name;
    unity_tests++;
    if (setjmp(unity_abort) == 0)
    {
        setUp();
        func();
        tearDown();
        printf("%s:%d:%s:PASS\n", unity_file, line, name);
    }
    else
    {
        tearDown();
    }
    fflush(stdout);
}

void UnityFail(const char *message, int line)
{
    unity_failures++;
    printf("%s:%d:%s:FAIL: %s\n", unity_file, line, unity_test, message);
    fflush(stdout);
    longjmp(unity_abort, 1);
}

void UnityFailEqual(long long expected, long long actual, int line)
{
    char message[80];
    snprintf(message, sizeof message, "Expected %lld Was %lld", expected, actual);
    UnityFail(message, line);
}

void UnityFailFloat(double delta, double expected, double actual, int line)
{
    char message[120];
    /* Integers only: newlib-nano's printf has no %f without -u _printf_float. */
    snprintf(message, sizeof message, "Values Not Within Delta (expected %ld/1e6 +- %ld/1e6, was %ld/1e6)",
             (long)(expected * 1e6), (long)(delta * 1e6), (long)(actual * 1e6));
    UnityFail(message, line);
}
