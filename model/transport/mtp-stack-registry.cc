/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-stack-registry.h"

#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-stack.h"

#include <algorithm>

namespace ns3
{

MtpError
MtpStackRegistry::Add(Ptr<MtpStack> stack, Ptr<MtpL4Protocol> l4)
{
    if (!stack || stack->GetL4())
    {
        return MtpError::INVAL;
    }
    std::string name = stack->GetName();
    bool wellFormed =
        !name.empty() && name.size() <= MAX_NAME &&
        std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    if (!wellFormed)
    {
        return MtpError::INVAL;
    }
    for (const auto& s : m_stacks)
    {
        if (s->GetName() == name)
        {
            return MtpError::ALREADY;
        }
    }
    stack->Bind(l4);
    m_stacks.push_back(stack);
    stack->ConfigChanged();
    return MtpError::OK;
}

MtpError
MtpStackRegistry::Remove(const std::string& name, const std::string& defaultName)
{
    auto it = std::find_if(m_stacks.begin(), m_stacks.end(), [&name](const Ptr<MtpStack>& s) {
        return s->GetName() == name;
    });
    if (it == m_stacks.end())
    {
        return MtpError::NOENT;
    }
    if (name == "homa" || name == defaultName)
    {
        return MtpError::PERM;
    }
    if ((*it)->GetSocketCount() > 0)
    {
        if (!IsRemoving(name))
        {
            m_removing.push_back(name);
        }
        return MtpError::BUSY;
    }
    m_removing.erase(std::remove(m_removing.begin(), m_removing.end(), name), m_removing.end());
    Ptr<MtpStack> gone = *it;
    m_stacks.erase(it);
    gone->Dispose();
    return MtpError::OK;
}

std::vector<std::string>
MtpStackRegistry::GetNames() const
{
    std::vector<std::string> names;
    for (const auto& s : m_stacks)
    {
        if (!IsRemoving(s->GetName()))
        {
            names.push_back(s->GetName());
        }
    }
    return names;
}

Ptr<MtpStack>
MtpStackRegistry::Find(const std::string& name) const
{
    if (IsRemoving(name))
    {
        return nullptr;
    }
    for (const auto& s : m_stacks)
    {
        if (s->GetName() == name)
        {
            return s;
        }
    }
    return nullptr;
}

const std::vector<Ptr<MtpStack>>&
MtpStackRegistry::GetAll() const
{
    return m_stacks;
}

void
MtpStackRegistry::DisposeAll()
{
    for (auto& s : m_stacks)
    {
        s->Dispose();
    }
    m_stacks.clear();
    m_removing.clear();
}

bool
MtpStackRegistry::IsRemoving(const std::string& name) const
{
    return std::find(m_removing.begin(), m_removing.end(), name) != m_removing.end();
}

} // namespace ns3
