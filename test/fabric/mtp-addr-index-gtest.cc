/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of mtp-addr-index.h: the flat hash index MtpFabricRouting looks
 * every packet's destination up in.  Checked against std::map as the model:
 * absent keys, overwrites, growth across many capacities, keys that collide
 * on their home cell, and the key 0 (a cell's zero-filled key must not read
 * as present).
 */

#include "ns3/mtp-addr-index.h"

#include <gtest/gtest.h>
#include <map>
#include <random>
#include <vector>

using namespace ns3;

TEST(MtpAddrIndex, EmptyFindsNothing)
{
    MtpAddrIndex index;
    EXPECT_EQ(index.Size(), 0U);
    EXPECT_EQ(index.Find(0), MtpAddrIndex::NONE);
    EXPECT_EQ(index.Find(0x0a000001), MtpAddrIndex::NONE);
}

TEST(MtpAddrIndex, ZeroKeyIsAbsentUntilSet)
{
    MtpAddrIndex index;
    index.Set(7, 1);
    // Free cells hold key 0: only the used flag tells them apart.
    EXPECT_EQ(index.Find(0), MtpAddrIndex::NONE);
    index.Set(0, 42);
    EXPECT_EQ(index.Find(0), 42U);
    EXPECT_EQ(index.Find(7), 1U);
    EXPECT_EQ(index.Size(), 2U);
}

TEST(MtpAddrIndex, SetOverwritesWithoutGrowing)
{
    MtpAddrIndex index;
    index.Set(0x0a000102, 3);
    index.Set(0x0a000102, 9);
    EXPECT_EQ(index.Size(), 1U);
    EXPECT_EQ(index.Find(0x0a000102), 9U);
}

TEST(MtpAddrIndex, MatchesAMapThroughManyGrowths)
{
    // Fabric-like keys (10.r.h.1, consecutive racks and hosts) and random
    // ones; checked after every insert, so each capacity is exercised.
    std::map<uint32_t, uint32_t> model;
    MtpAddrIndex index;
    std::mt19937 rng(1);
    for (uint32_t i = 0; i < 3000; ++i)
    {
        const uint32_t key = (i % 2) ? rng() : (0x0a000001U | ((i / 2) << 8));
        model[key] = i;
        index.Set(key, i);
        ASSERT_EQ(index.Size(), model.size());
        if (i % 97 == 0)
        {
            for (const auto& [k, v] : model)
            {
                ASSERT_EQ(index.Find(k), v) << "key " << k;
            }
        }
    }
    for (const auto& [k, v] : model)
    {
        EXPECT_EQ(index.Find(k), v);
    }
    for (uint32_t probe = 0; probe < 2000; ++probe)
    {
        const uint32_t key = rng();
        EXPECT_EQ(index.Find(key), model.count(key) ? model[key] : MtpAddrIndex::NONE);
    }
}

TEST(MtpAddrIndex, CollidingKeysAllFound)
{
    // Six keys hold 16 cells.  Three share home cell 15 (the last: their
    // probes wrap around to cell 0) and three share home cell 0, so the
    // probe chains collide and wrap.  Found by the hash's own definition.
    auto home16 = [](uint32_t key) { return (key * 2654435769U) >> 28; };
    std::vector<uint32_t> last;
    std::vector<uint32_t> first;
    std::vector<uint32_t> absentAtZero;
    for (uint32_t k = 1; last.size() < 3 || first.size() < 3 || absentAtZero.empty(); ++k)
    {
        if (home16(k) == 15 && last.size() < 3)
        {
            last.push_back(k);
        }
        else if (home16(k) == 0 && first.size() < 3)
        {
            first.push_back(k);
        }
        else if (home16(k) == 0)
        {
            absentAtZero.push_back(k);
        }
    }
    MtpAddrIndex index;
    for (uint32_t i = 0; i < 3; ++i)
    {
        index.Set(last[i], 10 + i);
        index.Set(first[i], 20 + i);
    }
    ASSERT_EQ(index.Size(), 6U);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(index.Find(last[i]), 10 + i);
        EXPECT_EQ(index.Find(first[i]), 20 + i);
    }
    EXPECT_EQ(index.Find(absentAtZero[0]), MtpAddrIndex::NONE);
}

TEST(MtpAddrIndex, ClearForgetsEverything)
{
    MtpAddrIndex index;
    index.Set(1, 1);
    index.Set(2, 2);
    index.Clear();
    EXPECT_EQ(index.Size(), 0U);
    EXPECT_EQ(index.Find(1), MtpAddrIndex::NONE);
    index.Set(2, 5);
    EXPECT_EQ(index.Find(2), 5U);
}
