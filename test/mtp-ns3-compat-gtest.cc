/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the ns-3 compatibility helpers (model/mtp-ns3-compat.h), run
 * against whichever ns-3 this is built with: enum Attributes made with
 * MtpMakeEnumAccessor read and write the right member (or getter and setter),
 * and MtpTestDuration is the type TestCase::AddTestCase takes.  (Invalid enum
 * names are not tried: ns-3.37 rejects them, ns-3.48 aborts in EnumChecker.)
 */

#include "ns3/mtp-fabric-routing.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/object.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <gtest/gtest.h>
#include <string>
#include <type_traits>

using namespace ns3;

namespace
{

/// An object with two enum Attributes: one on a member, one on getter/setter.
class CompatProbe : public Object
{
  public:
    /// The values of both Attributes.
    enum Colour
    {
        RED,   //!< the default
        GREEN, //!< another value
        BLUE,  //!< a third value
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid =
            TypeId("ns3::MtpCompatProbe")
                .SetParent<Object>()
                .SetGroupName("Mtp")
                .AddConstructor<CompatProbe>()
                .AddAttribute("Member",
                              "An enum Attribute on a data member.",
                              EnumValue(RED),
                              MtpMakeEnumAccessor<Colour>(&CompatProbe::m_member),
                              MakeEnumChecker(RED, "Red", GREEN, "Green", BLUE, "Blue"))
                .AddAttribute("Accessed",
                              "An enum Attribute through a getter and a setter.",
                              EnumValue(RED),
                              MtpMakeEnumAccessor<Colour>(&CompatProbe::GetAccessed,
                                                          &CompatProbe::SetAccessed),
                              MakeEnumChecker(RED, "Red", GREEN, "Green", BLUE, "Blue"));
        return tid;
    }

    Colour m_member{RED};   //!< behind "Member"
    Colour m_accessed{RED}; //!< behind "Accessed"
    int m_setterCalls{0};   //!< how often SetAccessed ran

  private:
    /// \return m_accessed
    Colour GetAccessed() const
    {
        return m_accessed;
    }

    /// \param c the new m_accessed
    void SetAccessed(Colour c)
    {
        m_accessed = c;
        ++m_setterCalls;
    }
};

/// \return the Attribute `name` of `obj`, as ns-3 spells its value
std::string
AttributeText(const Ptr<Object>& obj, const std::string& name)
{
    StringValue v;
    obj->GetAttribute(name, v);
    return v.Get();
}

TEST(MtpNs3Compat, EnumAccessorOnAMemberWritesAndReadsIt)
{
    Ptr<CompatProbe> p = CreateObject<CompatProbe>();
    EXPECT_EQ(AttributeText(p, "Member"), "Red");
    p->SetAttribute("Member", StringValue("Blue"));
    EXPECT_EQ(p->m_member, CompatProbe::BLUE);
    EXPECT_EQ(p->m_accessed, CompatProbe::RED) << "the other Attribute must not change";
    p->m_member = CompatProbe::GREEN;
    EXPECT_EQ(AttributeText(p, "Member"), "Green");
}

TEST(MtpNs3Compat, EnumAccessorOnGetterAndSetterCallsThem)
{
    Ptr<CompatProbe> p = CreateObject<CompatProbe>();
    const int callsAfterConstruction = p->m_setterCalls;
    p->SetAttribute("Accessed", StringValue("Green"));
    EXPECT_EQ(p->m_setterCalls, callsAfterConstruction + 1);
    EXPECT_EQ(p->m_accessed, CompatProbe::GREEN);
    EXPECT_EQ(p->m_member, CompatProbe::RED) << "the other Attribute must not change";
    p->m_accessed = CompatProbe::BLUE;
    EXPECT_EQ(AttributeText(p, "Accessed"), "Blue");
}

TEST(MtpNs3Compat, FabricRoutingEcmpModeAttribute)
{
    Ptr<MtpFabricRouting> r = CreateObject<MtpFabricRouting>();
    EXPECT_EQ(AttributeText(r, "EcmpMode"), "Random");
    r->SetAttribute("EcmpMode", StringValue("FlowHash"));
    EXPECT_EQ(AttributeText(r, "EcmpMode"), "FlowHash");
    r->SetAttribute("EcmpMode", StringValue("Random"));
    EXPECT_EQ(AttributeText(r, "EcmpMode"), "Random");
}

/// Names TestCase::AddTestCase, which only test cases may use.
struct AddTestCaseProbe : public TestCase
{
    AddTestCaseProbe()
        : TestCase("probe")
    {
    }

    void DoRun() override
    {
    }

    /// The type of AddTestCase, as this ns-3 declares it.
    using AddType = decltype(&AddTestCaseProbe::AddTestCase);
};

TEST(MtpNs3Compat, TestDurationIsTheTypeAddTestCaseTakes)
{
    static_assert(
        std::is_same_v<AddTestCaseProbe::AddType, void (TestCase::*)(TestCase*, MtpTestDuration)>,
        "MtpTestDuration must be the duration type of TestCase::AddTestCase");
    static_assert(std::is_enum_v<MtpTestDuration>, "a duration is an enum");
    EXPECT_NE(static_cast<int>(MtpTestDuration::QUICK),
              static_cast<int>(MtpTestDuration::EXTENSIVE));
    EXPECT_NE(static_cast<int>(MtpTestDuration::EXTENSIVE),
              static_cast<int>(MtpTestDuration::TAKES_FOREVER));
}

} // namespace
