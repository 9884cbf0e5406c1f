/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpAddrIndex: a small open-addressing hash index from a 32-bit key (an IPv4
 * address) to a 32-bit value (a slot number), for per-packet lookups.
 *
 * Design notes
 * ------------
 * MtpFabricRouting looks the destination of every packet up at every hop.
 * With std::unordered_map that is a modulo by a prime and a walk to a node
 * allocated somewhere on the heap: on the 144-host leaf-spine the single
 * largest self cost of the fabric (2% of the whole simulation).  A fabric
 * node's table is filled once and has a few hundred keys at most, so a flat
 * array of (key, value) pairs, linear probing, a power-of-two capacity kept
 * at most half full and a multiplicative (Fibonacci) hash answer in one or
 * two probes of one cache line.  Keys are never erased (routes are only
 * added), which keeps probing trivially correct.
 *
 * The index holds no simulator state and no clock: it is tested with
 * GoogleTest (test/fabric/mtp-addr-index-gtest.cc).
 */

#ifndef MTP_ADDR_INDEX_H
#define MTP_ADDR_INDEX_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-fabric
 * \brief Flat hash index from a 32-bit key to a 32-bit value; insert and find
 *        only (no erase), deterministic, no allocation on lookup.
 */
class MtpAddrIndex
{
  public:
    /// The value Find returns for an absent key.
    static constexpr uint32_t NONE = 0xffffffffU;

    /**
     * \brief Find a key.
     * \param key the key
     * \return its value, or NONE
     */
    uint32_t Find(uint32_t key) const
    {
        if (m_slots.empty())
        {
            return NONE;
        }
        for (uint32_t i = Home(key);; i = (i + 1) & m_mask)
        {
            const Slot& s = m_slots[i];
            if (!s.used)
            {
                return NONE;
            }
            if (s.key == key)
            {
                return s.value;
            }
        }
    }

    /**
     * \brief Insert a key, or change the value of a key present.
     * \param key the key
     * \param value its value (anything but NONE)
     */
    void Set(uint32_t key, uint32_t value)
    {
        if (2 * (m_size + 1) > m_slots.size())
        {
            Grow();
        }
        Place(key, value);
    }

    /** \return the number of keys */
    uint32_t Size() const
    {
        return m_size;
    }

    /** \brief Remove every key. */
    void Clear()
    {
        m_slots.clear();
        m_size = 0;
        m_mask = 0;
        m_shift = 32;
    }

  private:
    /// One cell of the open-addressing array.
    struct Slot
    {
        uint32_t key = 0;   //!< the key, meaningful when used
        uint32_t value = 0; //!< its value
        bool used = false;  //!< whether the cell holds a key
    };

    /** \return the first cell to probe for a key (Fibonacci hashing) */
    uint32_t Home(uint32_t key) const
    {
        return m_shift >= 32 ? 0 : static_cast<uint32_t>((key * 2654435769U) >> m_shift);
    }

    /** \brief Store a key in its cell (the array has a free cell). */
    void Place(uint32_t key, uint32_t value)
    {
        for (uint32_t i = Home(key);; i = (i + 1) & m_mask)
        {
            Slot& s = m_slots[i];
            if (!s.used)
            {
                s = Slot{key, value, true};
                ++m_size;
                return;
            }
            if (s.key == key)
            {
                s.value = value;
                return;
            }
        }
    }

    /** \brief Double the capacity (at least 8 cells) and re-place every key. */
    void Grow()
    {
        std::vector<Slot> old;
        old.swap(m_slots);
        uint32_t bits = 3;
        while ((1U << bits) < 2 * old.size())
        {
            ++bits;
        }
        m_slots.assign(1U << bits, Slot{});
        m_mask = (1U << bits) - 1;
        m_shift = 32 - bits;
        m_size = 0;
        for (const Slot& s : old)
        {
            if (s.used)
            {
                Place(s.key, s.value);
            }
        }
    }

    std::vector<Slot> m_slots; //!< the cells; the size is a power of two
    uint32_t m_size = 0;       //!< keys held
    uint32_t m_mask = 0;       //!< capacity - 1
    uint32_t m_shift = 32;     //!< 32 - log2(capacity): Home's shift
};

} // namespace ns3

#endif /* MTP_ADDR_INDEX_H */
