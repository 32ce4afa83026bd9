"""tools/run-arm-unit-tests on a tiny tree laid out like Arm's CMSIS-NN unit
tests (written here: no network, no Arm code), against our library."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "run-arm-unit-tests"

TEST_SOURCE = """\
#include <stdint.h>
#include "arm_nnfunctions.h"
#include "unity.h"
#include "../TestData/fake/test_data.h"

void relu6_arm_fake_s8(void)
{
    int8_t data[FAKE_SIZE];
    for (int i = 0; i < FAKE_SIZE; i++) { data[i] = fake_input[i]; }
    arm_relu6_s8(data, FAKE_SIZE);
    for (int i = 0; i < FAKE_SIZE; i++) { TEST_ASSERT_EQUAL(fake_expected[i], data[i]); }
}

void softmax_arm_fake_s8(void)
{
    const int8_t input[4] = {0, 0, 0, 0};
    int8_t output[4];
    arm_softmax_s8(input, 1, 4, 1 << 30, 22, -248, output);
    TEST_ASSERT_EQUAL(-64, output[0]);
    TEST_ASSERT_TRUE(output[3] == output[0]);
}

void wrong_expectation_arm_fake_s8(void)
{
    int8_t data[2] = {9, -3};
    arm_relu6_s8(data, 2);
    TEST_ASSERT_EQUAL(9, data[0]); /* fails: relu6 clamps to 6 */
}
"""

UNITY_SOURCE = """\
#include <stdlib.h>
#include "../test_arm_fake_s8.c"
#include "unity.h"

void setUp(void) {}
void tearDown(void) {}

void test_relu6_arm_fake_s8(void) { relu6_arm_fake_s8(); }

void test_softmax_arm_fake_s8(void) { softmax_arm_fake_s8(); }

void test_wrong_expectation_arm_fake_s8(void) { wrong_expectation_arm_fake_s8(); }
"""

BROKEN_UNITY = """\
#include "arm_nnfunctions.h"
#include "unity.h"
void setUp(void) {}
void tearDown(void) {}
void test_missing_kernel_arm_fake_s4(void) { arm_fake_kernel_s4(); }
void test_other_arm_fake_s4(void) { TEST_ASSERT_TRUE(1); }
"""

TEST_DATA = """\
#pragma once
#include <stdint.h>
#define FAKE_SIZE 6
static const int8_t fake_input[FAKE_SIZE] = {-128, -1, 0, 3, 6, 127};
static const int8_t fake_expected[FAKE_SIZE] = {0, 0, 0, 3, 6, 6};
"""


@pytest.fixture(scope="module")
def fake_arm_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fake-cmsis-nn")
    cases = root / "Tests" / "UnitTest" / "TestCases"
    good = cases / "test_arm_fake_s8"
    (good / "Unity").mkdir(parents=True)
    (good / "test_arm_fake_s8.c").write_text(TEST_SOURCE)
    (good / "Unity" / "unity_test_arm_fake_s8.c").write_text(UNITY_SOURCE)
    broken = cases / "test_arm_fake_s4"
    (broken / "Unity").mkdir(parents=True)
    (broken / "Unity" / "unity_test_arm_fake_s4.c").write_text(BROKEN_UNITY)
    floats = cases / "test_arm_fake_f32"  # float directories are not integer tests: not run
    (floats / "Unity").mkdir(parents=True)
    (floats / "Unity" / "unity_test_arm_fake_f32.c").write_text("void test_float(void) {}\n")
    (cases / "TestData" / "fake").mkdir(parents=True)
    (cases / "TestData" / "fake" / "test_data.h").write_text(TEST_DATA)
    return root


def _run(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL.with_name("run_arm_unit_tests.py")), str(tree), *args],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )


@pytest.mark.parametrize("target", ["host", "cortex-m4"])
def test_tool_runs_a_fake_tree_against_our_library(fake_arm_tree: Path, target: str) -> None:
    proc = _run(fake_arm_tree, "--target", target, "--library", "ours", "--jobs", "2")
    lines = proc.stdout.splitlines()
    assert lines[0] == "test_arm_fake_s4: 0 passed, 2 failed", proc.stdout + proc.stderr
    assert lines[1].startswith("    does not compile: test_arm_fake_s4/Unity/unity_test_arm_fake_s4.c:5:")
    assert "arm_fake_kernel_s4" in lines[1]
    assert lines[2:] == ["test_arm_fake_s8: 2 passed, 1 failed", "2 passed, 3 failed"]
    assert proc.returncode == 1


def test_tool_filter_selects_directories(fake_arm_tree: Path) -> None:
    proc = _run(fake_arm_tree, "--target", "host", "--filter", "fake_s8$")
    assert proc.stdout.splitlines() == ["test_arm_fake_s8: 2 passed, 1 failed", "2 passed, 1 failed"]
    assert proc.returncode == 1


def test_tool_refuses_bad_arguments(fake_arm_tree: Path, tmp_path: Path) -> None:
    proc = _run(fake_arm_tree, "--target", "cortex-m99")
    assert proc.returncode == 2 and "--target cortex-m99" in proc.stderr
    proc = _run(tmp_path, "--target", "host")
    assert proc.returncode == 2 and "no Tests/UnitTest/TestCases directory" in proc.stderr
    proc = _run(fake_arm_tree, "--target", "host", "--library", "arm")
    assert proc.returncode == 2 and "no Source/ directory" in proc.stderr
