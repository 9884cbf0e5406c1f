/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup mtp
 * The one place where the mtp module bridges ns-3 API differences.
 *
 * The module builds against ns-3.37 (Debian's libns3-dev and source package)
 * and against the current release, ns-3.48.  Where their APIs differ, code
 * uses the helpers below instead of version checks of its own:
 *
 * | helper                      | ns-3.37                    | ns-3.48                      |
 * |-----------------------------|----------------------------|------------------------------|
 * | Ipv4GlobalRouting (include) | ns3/ipv4-global-routing.h  | ns3/global-routing.h         |
 * | MtpMakeEnumAccessor<E>()    | MakeEnumAccessor(m)        | MakeEnumAccessor<E>(m)       |
 * | MtpTestDuration::QUICK      | TestCase::QUICK            | TestCase::Duration::QUICK    |
 *
 * Test suite types need no helper: write TestSuite::Type::UNIT (or SYSTEM,
 * ...), which names the enumerator of ns-3.37's unscoped enum and of
 * ns-3.48's enum class alike.
 *
 * Detection is by the ns-3 API itself (header presence, overload
 * resolution, member types), not by version numbers, so a release between
 * the two, or a later one that keeps these APIs, is handled too.
 *
 * One difference needs no helper but care: ns-3.37's NS_TEST_* macros
 * stream their arguments unparenthesized (`stream << limit`), so a
 * conditional expression argument must be parenthesized,
 * `NS_TEST_EXPECT_MSG_EQ(n, (ipv6 ? 2 : 1), "...")`, or the in-tree build
 * fails with -Werror=unused-value.
 */

#ifndef MTP_NS3_COMPAT_H
#define MTP_NS3_COMPAT_H

#include "ns3/attribute.h"
#include "ns3/enum.h"
#include "ns3/test.h"

// Ipv4GlobalRouting: ns-3.47 made global routing a template shared by IPv4
// and IPv6 (GlobalRouting<T>, header global-routing.h, with the alias
// Ipv4GlobalRouting); before, it was a class of its own in
// ipv4-global-routing.h.  Test for the new header first: an old
// ipv4-global-routing.h elsewhere on the include path (e.g. Debian's
// /usr/include/ns3) must not shadow the tree's own.
#if __has_include("ns3/global-routing.h")
#include "ns3/global-routing.h"
#else
#include "ns3/ipv4-global-routing.h"
#endif

#include <type_traits>
#include <utility>

namespace ns3
{

/// Implementation details of the compatibility helpers; use the helpers.
namespace mtpcompat
{

/**
 * MakeEnumAccessor where ns-3 wants the enum type as a template argument
 * (ns-3.41 and later: EnumValue is EnumValue<E>).  Its unnamed int
 * parameter binds 0 better than the other overload's long, so it is chosen
 * whenever its call is well formed.
 *
 * \tparam E the enum type of the attribute
 * \tparam Args the accessor's argument types (member or getter/setter)
 * \param [in] args the member, or getter and setter
 * \return the accessor
 */
template <typename E, typename... Args>
auto
MakeEnumAccessorFor(int /* preferred */, Args... args) -> decltype(MakeEnumAccessor<E>(args...))
{
    return MakeEnumAccessor<E>(args...);
}

/**
 * MakeEnumAccessor where ns-3 deduces everything from the arguments
 * (ns-3.40 and earlier: one non-template EnumValue).
 *
 * \tparam E the enum type of the attribute (not needed by this ns-3)
 * \tparam Args the accessor's argument types (member or getter/setter)
 * \param [in] args the member, or getter and setter
 * \return the accessor
 */
template <typename E, typename... Args>
auto
MakeEnumAccessorFor(long /* fallback */, Args... args) -> decltype(MakeEnumAccessor(args...))
{
    return MakeEnumAccessor(args...);
}

/**
 * The type of a TestCase duration: T::Duration (enum class, ns-3.42 and
 * later, which also keep a deprecated TestDuration) when T has it ...
 * \tparam T the test case class (ns3::TestCase)
 */
template <typename T, typename = void>
struct TestDurationOf
{
    /// ... else T::TestDuration (plain enum, before ns-3.42).
    using Type = typename T::TestDuration;
};

/// \copydoc TestDurationOf
template <typename T>
struct TestDurationOf<T, std::void_t<typename T::Duration>>
{
    /// TestCase::Duration.
    using Type = typename T::Duration;
};

} // namespace mtpcompat

/**
 * \ingroup mtp
 * Makes the accessor of an enum-valued Attribute on every supported ns-3.
 *
 * Write `MtpMakeEnumAccessor<MyClass::Mode>(&MyClass::m_mode)` where
 * ns-3.48 wants `MakeEnumAccessor<MyClass::Mode>(...)` and ns-3.37 only
 * knows `MakeEnumAccessor(...)`.  A getter and setter pair works as well.
 *
 * \tparam E the enum type of the attribute
 * \tparam Args the accessor's argument types
 * \param [in] args the member, or getter and setter
 * \return the accessor
 */
template <typename E, typename... Args>
Ptr<const AttributeAccessor>
MtpMakeEnumAccessor(Args... args)
{
    return mtpcompat::MakeEnumAccessorFor<E>(0, args...);
}

/**
 * \ingroup mtp-test
 * The duration of a test case, one spelling on every supported ns-3:
 * `AddTestCase(new MyTestCase, MtpTestDuration::QUICK)` (likewise
 * EXTENSIVE and TAKES_FOREVER).  It is TestCase::Duration on ns-3.48 and
 * TestCase::TestDuration on ns-3.37.
 */
using MtpTestDuration = mtpcompat::TestDurationOf<TestCase>::Type;

} // namespace ns3

#endif /* MTP_NS3_COMPAT_H */
