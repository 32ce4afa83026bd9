/*
 * pycmsisnn: a minimal Unity-compatible test shim for running CMSIS-NN's unit
 * tests (tools/run_arm_unit_tests.py). It provides the part of Unity's API
 * those tests use: TEST_ASSERT_* (a failed assertion ends the current test),
 * UnityBegin / UnityDefaultTestRun (RUN_TEST) / UnityEnd.
 *
 * Output, one line per test and a summary, in Unity's format:
 *   FILE:LINE:test_name:PASS
 *   FILE:LINE:test_name:FAIL: message
 *   N Tests M Failures 0 Ignored
 */
#ifndef PYCMSISNN_UNITY_H
#define PYCMSISNN_UNITY_H

#include <stdint.h>

typedef void (*UnityTestFunction)(void);

void setUp(void);
void tearDown(void);

void UnityBegin(const char *filename);
int UnityEnd(void);
void UnityDefaultTestRun(UnityTestFunction func, const char *name, int line);

/* A failed check: report and end the current test (does not return). */
void UnityFail(const char *message, int line);
void UnityFailEqual(long long expected, long long actual, int line);
void UnityFailFloat(double delta, double expected, double actual, int line);

#define RUN_TEST(func) UnityDefaultTestRun(func, #func, __LINE__)

#define TEST_FAIL_MESSAGE(msg) UnityFail((msg), __LINE__)
#define TEST_FAIL() UnityFail("failed", __LINE__)
#define TEST_ASSERT_MESSAGE(cond, msg)                                                                                 \
    do                                                                                                                 \
    {                                                                                                                  \
        if (!(cond))                                                                                                   \
            UnityFail((msg), __LINE__);                                                                                \
    } while (0)
#define TEST_ASSERT(cond) TEST_ASSERT_MESSAGE((cond), "Expression Evaluated To FALSE")
#define TEST_ASSERT_TRUE(cond) TEST_ASSERT_MESSAGE((cond), "Expected TRUE Was FALSE")
#define TEST_ASSERT_FALSE(cond) TEST_ASSERT_MESSAGE(!(cond), "Expected FALSE Was TRUE")
#define TEST_ASSERT_NULL(ptr) TEST_ASSERT_MESSAGE((ptr) == NULL, "Expected NULL")
#define TEST_ASSERT_NOT_NULL(ptr) TEST_ASSERT_MESSAGE((ptr) != NULL, "Expected Non-NULL")
#define TEST_ASSERT_EQUAL(expected, actual)                                                                            \
    do                                                                                                                 \
    {                                                                                                                  \
        long long unity_e_ = (long long)(expected);                                                                    \
        long long unity_a_ = (long long)(actual);                                                                      \
        if (unity_e_ != unity_a_)                                                                                      \
            UnityFailEqual(unity_e_, unity_a_, __LINE__);                                                              \
    } while (0)
#define TEST_ASSERT_EQUAL_INT(expected, actual) TEST_ASSERT_EQUAL((expected), (actual))
#define TEST_ASSERT_EQUAL_INT8(expected, actual) TEST_ASSERT_EQUAL((int8_t)(expected), (int8_t)(actual))
#define TEST_ASSERT_EQUAL_INT16(expected, actual) TEST_ASSERT_EQUAL((int16_t)(expected), (int16_t)(actual))
#define TEST_ASSERT_EQUAL_INT32(expected, actual) TEST_ASSERT_EQUAL((int32_t)(expected), (int32_t)(actual))
#define TEST_ASSERT_EQUAL_UINT(expected, actual) TEST_ASSERT_EQUAL((expected), (actual))
#define TEST_ASSERT_FLOAT_WITHIN(delta, expected, actual)                                                              \
    do                                                                                                                 \
    {                                                                                                                  \
        double unity_d_ = (double)(delta), unity_e_ = (double)(expected), unity_a_ = (double)(actual);                 \
        double unity_diff_ = unity_e_ > unity_a_ ? unity_e_ - unity_a_ : unity_a_ - unity_e_;                          \
        if (!(unity_diff_ <= unity_d_))                                                                                \
            UnityFailFloat(unity_d_, unity_e_, unity_a_, __LINE__);                                                    \
    } while (0)

#endif /* PYCMSISNN_UNITY_H */
